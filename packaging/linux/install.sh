#!/usr/bin/env bash
# Put DenseNet Studio in this user's application menu (no root): the app folder goes to
# ~/.local/share/densenet-studio, the menu entry to ~/.local/share/applications, icons to the hicolor theme
# in ~/.local/share/icons, and a `densenet-studio` command to ~/.local/bin.
#
#   ./install.sh [APP_FOLDER]     APP_FOLDER: the built dist/DenseNetStudio (default: this script's folder,
#                                 or dist/DenseNetStudio when run from packaging/linux in the source tree)
#   ./install.sh --uninstall      remove all of the above
set -euo pipefail

DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
TARGET="$DATA/densenet-studio"
MENU="$DATA/applications/densenet-studio.desktop"
ICONS="$DATA/icons/hicolor"
COMMAND="$HOME/.local/bin/densenet-studio"
HERE="$(cd "$(dirname "$0")" && pwd)"

refresh_menus() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$ICONS" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$TARGET"
    rm -f "$MENU" "$COMMAND" "$ICONS"/*/apps/densenet-studio.png "$ICONS"/scalable/apps/densenet-studio.svg
    refresh_menus
    echo "DenseNet Studio removed."
    exit 0
fi

if [ -n "${1:-}" ]; then
    SOURCE="$(cd "$1" && pwd)"
elif [ -x "$HERE/DenseNetStudio" ]; then
    SOURCE="$HERE"
else
    SOURCE="$(cd "$HERE/../.." && pwd)/dist/DenseNetStudio"
fi
if [ ! -x "$SOURCE/DenseNetStudio" ]; then
    echo "install.sh: no DenseNetStudio executable in $SOURCE; build it first: python packaging/build.py" >&2
    exit 1
fi

if [ "$SOURCE" != "$TARGET" ]; then
    rm -rf "$TARGET.new"
    mkdir -p "$(dirname "$TARGET")"
    cp -a "$SOURCE" "$TARGET.new"
    rm -rf "$TARGET"
    mv "$TARGET.new" "$TARGET"
fi

ICON_SOURCE="$TARGET/_internal/resources/icons"
for png in "$ICON_SOURCE"/densenet-studio-*.png; do
    size="$(basename "$png" .png)"
    size="${size##*-}"
    mkdir -p "$ICONS/${size}x${size}/apps"
    cp "$png" "$ICONS/${size}x${size}/apps/densenet-studio.png"
done
mkdir -p "$ICONS/scalable/apps"
cp "$ICON_SOURCE/densenet-studio.svg" "$ICONS/scalable/apps/densenet-studio.svg"

mkdir -p "$(dirname "$MENU")" "$(dirname "$COMMAND")"
sed "s|^Exec=.*|Exec=\"$TARGET/DenseNetStudio\"|" "$TARGET/densenet-studio.desktop" > "$MENU"
ln -sf "$TARGET/DenseNetStudio" "$COMMAND"
refresh_menus
echo "DenseNet Studio installed in $TARGET; it is in the application menu, and '$COMMAND' starts it."
