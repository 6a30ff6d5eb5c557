"""The 1000 ImageNet class names, shipped in resources/ because Keras would download them at run time.

`resources/imagenet_class_index.json` is byte for byte the file `keras.applications.imagenet_utils`
fetches (MD5 c2c37ea517e94d9795004a39431a14cb): {"0": ["n01440764", "tench"], ...}.
"""

from __future__ import annotations

import functools
import json

from engine.storage.resources import resource_path

CLASS_INDEX_FILE = "imagenet_class_index.json"
CLASS_INDEX_MD5 = "c2c37ea517e94d9795004a39431a14cb"


@functools.cache
def imagenet_class_index() -> tuple[tuple[str, str], ...]:
    """(WordNet id, name) of each ImageNet class, in the order of the classifier's 1000 outputs."""
    entries = json.loads(resource_path(CLASS_INDEX_FILE).read_text(encoding="utf-8"))
    return tuple(tuple(entries[str(index)]) for index in range(len(entries)))


def imagenet_class_names() -> list[str]:
    """Readable names ("tabby", "golden retriever") in output order, underscores shown as spaces."""
    return [name.replace("_", " ") for _, name in imagenet_class_index()]
