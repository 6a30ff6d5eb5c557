<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>ArchitectureTab</name>
    <message>
        <source>&amp;Variant</source>
        <translation>변형(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Input size</source>
        <translation>입력 크기(&amp;I)</translation>
    </message>
    <message>
        <source>C&amp;lasses</source>
        <translation>클래스 수(&amp;L)</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>변형</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>입력 크기</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>클래스 수</translation>
    </message>
    <message>
        <source>Copy as &amp;text</source>
        <translation>텍스트로 복사(&amp;T)</translation>
    </message>
    <message>
        <source>Which DenseNet to show: the paper&apos;s four ImageNet networks, or a DenseNet-BC for small photos. Pick another to compare their blocks and cost; a loaded model chooses its own.</source>
        <translation>보여 줄 DenseNet: 논문의 ImageNet 네트워크 네 가지, 또는 작은 사진용 DenseNet-BC입니다. 다른 것을 골라 블록과 비용을 비교해 보세요. 모델을 불러오면 그 모델의 네트워크가 선택됩니다.</translation>
    </message>
    <message>
        <source>The photo&apos;s height and width in pixels. Every feature map&apos;s size follows it; make it larger to see the multiply-adds grow.</source>
        <translation>사진의 높이와 너비(픽셀)입니다. 모든 특징 맵의 크기가 이를 따릅니다. 크게 하면 곱셈-덧셈이 늘어나는 것을 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>How many classes the last layer scores. Only the head&apos;s parameters change with it.</source>
        <translation>마지막 층이 점수를 매기는 클래스 수입니다. 이 값을 바꾸면 헤드의 매개변수만 달라집니다.</translation>
    </message>
    <message>
        <source>Copy the table below as text, to paste into notes or a report.</source>
        <translation>아래 표를 텍스트로 복사해 메모나 보고서에 붙여 넣을 수 있게 합니다.</translation>
    </message>
    <message>
        <source>Stage / layer</source>
        <translation>단계 / 층</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>입력</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>층 수</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>매개변수</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>곱셈-덧셈</translation>
    </message>
    <message>
        <source>Architecture tree</source>
        <translation>구조 트리</translation>
    </message>
    <message>
        <source>Block diagram</source>
        <translation>블록 다이어그램</translation>
    </message>
    <message>
        <source>Show on a &amp;photo…</source>
        <translation>사진으로 보기(&amp;P)…</translation>
    </message>
    <message>
        <source>Show feature maps of a photo</source>
        <translation>사진의 특징 맵 보기</translation>
    </message>
    <message>
        <source>Building {0} at {1}x{1}…</source>
        <translation>{0} 구성 중 ({1}x{1})…</translation>
    </message>
    <message>
        <source>Total {0:,} parameters ({1:,} trainable), {2:.3f} G multiply-adds</source>
        <translation>전체 매개변수 {0:,}개 (학습 가능 {1:,}개), 곱셈-덧셈 {2:.3f} G</translation>
    </message>
    <message>
        <source>No model is loaded: open, train or download one in the Classify tab, then see its feature maps on a photo.</source>
        <translation>불러온 모델이 없습니다: 분류 탭에서 모델을 열거나 학습하거나 내려받은 뒤 사진에서 특징 맵을 보세요.</translation>
    </message>
    <message>
        <source>Run {0} on a photo you choose and see the feature maps after the stem and each block.</source>
        <translation>고른 사진에 {0}을(를) 실행해 스템과 각 블록 뒤의 특징 맵을 봅니다.</translation>
    </message>
    <message>
        <source>Choose a photo</source>
        <translation>사진 선택</translation>
    </message>
</context>
<context>
    <name>BlockPanel</name>
    <message>
        <source>Layer</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Layers of the chosen block</source>
        <translation>선택한 블록의 층</translation>
    </message>
    <message>
        <source>Dense block: each of its {0} layers adds k = {1} feature maps and sees all earlier ones, so {2} maps grow to {3}.</source>
        <translation>덴스 블록: {0}개 층이 저마다 앞선 모든 층의 특징 맵을 보고 k = {1}개를 더하므로, 특징 맵이 {2}개에서 {3}개로 늘어납니다.</translation>
    </message>
    <message>
        <source>Transition: a 1×1 convolution halves the feature maps (compression θ = {0}: {1} → {2}) and 2×2 average pooling halves the size ({3}×{4} → {5}×{6}).</source>
        <translation>전이: 1×1 합성곱이 특징 맵 수를 절반으로 줄이고(압축 θ = {0}: {1} → {2}), 2×2 평균 풀링이 크기를 절반으로 줄입니다({3}×{4} → {5}×{6}).</translation>
    </message>
    <message>
        <source>Head: global average pooling turns each of the {0} feature maps into one number, and a classifier turns those into {1} class scores.</source>
        <translation>헤드: 전역 평균 풀링이 특징 맵 {0}개를 각각 숫자 하나로 줄이고, 분류기가 그 숫자들을 클래스 점수 {1}개로 바꿉니다.</translation>
    </message>
    <message>
        <source>Stem: the first convolution turns the {0}×{1} photo into {2} feature maps of {3}×{4}, the first dense block&apos;s input.</source>
        <translation>스템: 첫 합성곱이 {0}×{1} 사진을 {3}×{4} 크기의 특징 맵 {2}개로 바꿉니다. 이것이 첫 덴스 블록의 입력입니다.</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Click a block to open its layers; hover over one to read what it does.</source>
        <translation>블록을 클릭하면 그 층들이 열리고, 블록 위에 마우스를 올리면 하는 일을 설명합니다.</translation>
    </message>
    <message>
        <source>Maps in</source>
        <translation>입력 맵 수</translation>
    </message>
    <message>
        <source>Maps out</source>
        <translation>출력 맵 수</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>입력</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
</context>
<context>
    <name>ClassifyTab</name>
    <message>
        <source>&amp;Open photos…</source>
        <translation>사진 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open photos</source>
        <translation>사진 열기</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>모델 열기</translation>
    </message>
    <message>
        <source>&amp;Save CSV…</source>
        <translation>CSV 저장(&amp;S)…</translation>
    </message>
    <message>
        <source>Save results as CSV</source>
        <translation>결과를 CSV로 저장</translation>
    </message>
    <message>
        <source>Show &amp;heatmap (Grad-CAM)</source>
        <translation>히트맵 보기(&amp;H) (Grad-CAM)</translation>
    </message>
    <message>
        <source>Show heatmap</source>
        <translation>히트맵 보기</translation>
    </message>
    <message>
        <source>Classification progress</source>
        <translation>분류 진행률</translation>
    </message>
    <message>
        <source>Cance&amp;l</source>
        <translation>취소(&amp;L)</translation>
    </message>
    <message>
        <source>Cancel classification</source>
        <translation>분류 취소</translation>
    </message>
    <message>
        <source>Classification results</source>
        <translation>분류 결과</translation>
    </message>
    <message>
        <source>Drop photos or folders anywhere on this window.</source>
        <translation>사진이나 폴더를 이 창 아무 곳에나 끌어다 놓으세요.</translation>
    </message>
    <message>
        <source>These results came from {0}; the model in use is now {1}. Classify the photos again to see its answers.</source>
        <translation>아래 결과는 {0}의 것입니다. 지금 쓰는 모델은 {1}입니다. 이 모델의 답을 보려면 사진을 다시 분류하세요.</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>모델 열기…</translation>
    </message>
    <message>
        <source>Colours the selected photo where the network looked for its first answer (Grad-CAM). Turn it on to see whether the model looks at the object itself or at its background.</source>
        <translation>선택한 사진에서 신경망이 첫 번째 답을 내려고 본 곳을 색으로 칠합니다(Grad-CAM). 모델이 물체 자체를 보는지 배경을 보는지 알고 싶을 때 켜세요.</translation>
    </message>
    <message>
        <source>Keras models (*.keras)</source>
        <translation>Keras 모델 (*.keras)</translation>
    </message>
    <message>
        <source>Use a weights file</source>
        <translation>가중치 파일 사용</translation>
    </message>
    <message>
        <source>Keras weights (*.h5)</source>
        <translation>Keras 가중치 (*.h5)</translation>
    </message>
    <message>
        <source>{0}: {1}. It can start a training (Train tab), but cannot classify: pick the file with the classifier.</source>
        <translation>{0}: {1}. 학습의 시작점(학습 탭)으로는 쓸 수 있지만 분류는 할 수 없습니다. 분류기가 들어 있는 파일을 고르세요.</translation>
    </message>
    <message>
        <source>{0}: {1}.</source>
        <translation>{0}: {1}.</translation>
    </message>
    <message>
        <source>{0} item(s) waiting: load or train a model first.</source>
        <translation>{0}개 항목 대기 중: 먼저 모델을 불러오거나 학습시키세요.</translation>
    </message>
    <message>
        <source>Classifying with {0}…</source>
        <translation>{0}(으)로 분류하는 중…</translation>
    </message>
    <message>
        <source>{0} photo(s) classified by {3} in {1:.1f} s; {2} could not be read.</source>
        <translation>{3}(으)로 사진 {0}장을 {1:.1f}초에 분류했습니다. {2}장은 읽을 수 없었습니다.</translation>
    </message>
    <message>
        <source>Add to the training folder as</source>
        <translation>학습 폴더에 이 클래스로 추가</translation>
    </message>
    <message>
        <source>(check a training folder in the Train tab first)</source>
        <translation>(먼저 학습 탭에서 학습 폴더를 검사하세요)</translation>
    </message>
    <message>
        <source>Nothing to save yet: classify some photos first.</source>
        <translation>아직 저장할 것이 없습니다: 먼저 사진을 분류하세요.</translation>
    </message>
    <message>
        <source>Save results</source>
        <translation>결과 저장</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>Saved {0}.</source>
        <translation>{0}에 저장했습니다.</translation>
    </message>
</context>
<context>
    <name>ConfusionView</name>
    <message>
        <source>Confusion matrix</source>
        <translation>혼동 행렬</translation>
    </message>
    <message>
        <source>Rows: true class. Columns: predicted class. Click a cell to list its photos.</source>
        <translation>행: 실제 클래스. 열: 예측 클래스. 칸을 누르면 해당 사진이 나열됩니다.</translation>
    </message>
    <message>
        <source>Photos in the selected cell</source>
        <translation>선택한 칸의 사진</translation>
    </message>
    <message>
        <source>Per-class metrics</source>
        <translation>클래스별 지표</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>재현율</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>사진 수</translation>
    </message>
    <message>
        <source>Photos</source>
        <comment>the tab of thumbnails</comment>
        <translation>사진</translation>
    </message>
    <message>
        <source>List</source>
        <translation>목록</translation>
    </message>
    <message>
        <source>Scores by class</source>
        <translation>클래스별 점수</translation>
    </message>
    <message>
        <source>The confusion matrix appears here when training ends, or when you review a folder with the model in use.</source>
        <translation>학습이 끝나거나, 사용 중인 모델로 폴더를 검토하면 여기에 혼동 행렬이 나타납니다.</translation>
    </message>
    <message>
        <source>{0} reviewed with {1}.</source>
        <translation>{0} 폴더를 {1}(으)로 검토했습니다.</translation>
    </message>
    <message>
        <source>No score: {0}</source>
        <translation>점수 없음: {0}</translation>
    </message>
    <message>
        <source>Accuracy {0:.1%} on {1} photos the model did not train on (the {2} photos it trained on are not scored). Rows: true class; columns: predicted.</source>
        <translation>모델이 학습하지 않은 사진 {1}장에서 정확도 {0:.1%} (학습에 쓴 사진 {2}장은 채점하지 않음). 행: 실제 클래스, 열: 예측 클래스.</translation>
    </message>
    <message>
        <source>Predicted: {0}</source>
        <translation>예측: {0}</translation>
    </message>
    <message>
        <source>Click a cell of the matrix to list its photos here.</source>
        <translation>행렬의 칸을 클릭하면 그 사진들이 여기에 나열됩니다.</translation>
    </message>
    <message>
        <source>{0} photo(s) of {1} predicted as {2}</source>
        <translation>{1} 사진 {0}장이 {2}(으)로 예측됨</translation>
    </message>
</context>
<context>
    <name>DatasetEdits</name>
    <message>
        <source>{0} added to {1} in {2}; Edit &gt; Undo (Ctrl+Z) takes it back.</source>
        <translation>{0}을(를) {2}의 {1}에 추가했습니다. 편집 &gt; 되돌리기(Ctrl+Z)로 취소할 수 있습니다.</translation>
    </message>
    <message>
        <source>{0} moved to {1}; Edit &gt; Undo (Ctrl+Z) takes it back.</source>
        <translation>{0}을(를) {1}(으)로 옮겼습니다. 편집 &gt; 되돌리기(Ctrl+Z)로 취소할 수 있습니다.</translation>
    </message>
    <message>
        <source>{0} taken out of the folder; Edit &gt; Undo (Ctrl+Z) puts it back.</source>
        <translation>{0}을(를) 폴더에서 뺐습니다. 편집 &gt; 되돌리기(Ctrl+Z)로 되돌릴 수 있습니다.</translation>
    </message>
    <message>
        <source>Nothing to undo: no training folder is checked in the Train tab.</source>
        <translation>되돌릴 것이 없습니다: 학습 탭에서 검사한 학습 폴더가 없습니다.</translation>
    </message>
    <message>
        <source>Undone: the copy of {0} went to the trash.</source>
        <translation>되돌렸습니다: {0}의 복사본을 휴지통으로 보냈습니다.</translation>
    </message>
    <message>
        <source>Undone: {0} is back in {1}.</source>
        <translation>되돌렸습니다: {0}이(가) {1}(으)로 돌아갔습니다.</translation>
    </message>
</context>
<context>
    <name>DatasetPanel</name>
    <message>
        <source>1. Dataset</source>
        <translation>1. 데이터셋</translation>
    </message>
    <message>
        <source>Drop a folder here with one subfolder per class (e.g. cat/, dog/).</source>
        <translation>클래스마다 하위 폴더가 하나씩 있는 폴더를 여기에 끌어다 놓으세요 (예: cat/, dog/).</translation>
    </message>
    <message>
        <source>Choose &amp;folder…</source>
        <translation>폴더 선택(&amp;F)…</translation>
    </message>
    <message>
        <source>Choose dataset folder</source>
        <translation>데이터셋 폴더 선택</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>클래스</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>이미지 수</translation>
    </message>
    <message>
        <source>Images per class</source>
        <translation>클래스별 이미지 수</translation>
    </message>
    <message>
        <source>Skipped files and duplicates</source>
        <translation>건너뛴 파일과 중복</translation>
    </message>
    <message>
        <source>Find &amp;label problems…</source>
        <translation>라벨 문제 찾기(&amp;L)…</translation>
    </message>
    <message>
        <source>Find photos that look wrongly labelled, look-alikes and outliers, to fix before training.</source>
        <translation>라벨이 잘못된 것 같은 사진, 서로 닮은 사진, 동떨어진 사진을 찾아 학습 전에 고칩니다.</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>데이터셋 폴더</translation>
    </message>
    <message>
        <source>Checking {0}…</source>
        <translation>{0} 검사 중…</translation>
    </message>
    <message>
        <source>Skipped {0}: {1}</source>
        <translation>건너뜀 {0}: {1}</translation>
    </message>
    <message>
        <source>Duplicates: {0}</source>
        <translation>중복: {0}</translation>
    </message>
    <message>
        <source>{0} classes, {1} images; {2} skipped, {3} duplicate groups.</source>
        <translation>클래스 {0}개, 이미지 {1}장; 건너뜀 {2}장, 중복 묶음 {3}개.</translation>
    </message>
    <message>
        <source>Balanced: every class has {0} images.</source>
        <translation>균형: 모든 클래스에 이미지가 {0}장씩 있습니다.</translation>
    </message>
    <message>
        <source>Imbalance {0:g}x ({1}: {2} / {3}: {4}).</source>
        <translation>불균형 {0:g}배 ({1}: {2} / {3}: {4}).</translation>
    </message>
    <message>
        <source>Strong imbalance: add photos to the small classes.</source>
        <translation>불균형이 큽니다: 작은 클래스에 사진을 더 넣으세요.</translation>
    </message>
    <message>
        <source>Use {0}</source>
        <translation>{0} 사용</translation>
    </message>
    <message>
        <source>Drop to check this folder for training</source>
        <translation>놓으면 이 폴더를 훈련용으로 검사합니다</translation>
    </message>
</context>
<context>
    <name>DenseDrawing</name>
    <message>
        <source>Transition</source>
        <translation>전이</translation>
    </message>
    <message>
        <source>+{0} more</source>
        <translation>+{0}개 더</translation>
    </message>
    <message>
        <source>x₀, the block&apos;s input: {0} feature maps of {1}×{2}. Every layer of the block receives them.</source>
        <translation>x₀, 블록의 입력: {1}×{2} 크기의 특징 맵 {0}개입니다. 블록의 모든 층이 이 맵을 받습니다.</translation>
    </message>
    <message>
        <source>{0} more layers, each adding k = {1} maps: use Layers shown or All to draw them.</source>
        <translation>층 {0}개가 더 있으며 각각 맵 k = {1}개를 더합니다. 표시할 층 수나 모두로 그려 보세요.</translation>
    </message>
    <message>
        <source>H{0}: BN-ReLU-1×1 convolution to {1} maps, then BN-ReLU-3×3 convolution to k = {2}.
Receives {3} maps (x₀ and the {4} layers before it) and adds {2}: {5} maps leave it.
{6:,} parameters, {7:,} multiply-adds.</source>
        <translation>H{0}: BN-ReLU-1×1 합성곱으로 맵 {1}개, 이어서 BN-ReLU-3×3 합성곱으로 k = {2}개를 만듭니다.
맵 {3}개(x₀와 앞선 층 {4}개의 맵)를 받아 {2}개를 더하므로 맵 {5}개가 나갑니다.
매개변수 {6:,}개, 곱셈-덧셈 {7:,}회.</translation>
    </message>
    <message>
        <source>Transition: BN-ReLU, then a 1×1 convolution keeps ⌊θ·C⌋ = {0} of the C = {1} maps, and 2×2 average pooling halves their size ({2}×{3} → {4}×{5}).
{6:,} parameters, {7:,} multiply-adds.</source>
        <translation>전이: BN-ReLU 다음 1×1 합성곱이 맵 C = {1}개 중 ⌊θ·C⌋ = {0}개를 남기고, 2×2 평균 풀링이 크기를 절반으로 줄입니다({2}×{3} → {4}×{5}).
매개변수 {6:,}개, 곱셈-덧셈 {7:,}회.</translation>
    </message>
    <message>
        <source>BN-ReLU, 1×1 conv</source>
        <translation>BN-ReLU, 1×1 합성곱</translation>
    </message>
    <message>
        <source>2×2 average pool</source>
        <translation>2×2 평균 풀링</translation>
    </message>
</context>
<context>
    <name>DenseView</name>
    <message>
        <source>Layers &amp;shown</source>
        <translation>표시할 층(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Growth rate k</source>
        <translation>성장률 k(&amp;G)</translation>
    </message>
    <message>
        <source>Layers in this &amp;block</source>
        <translation>이 블록의 층 수(&amp;B)</translation>
    </message>
    <message>
        <source>Co&amp;mpression θ</source>
        <translation>압축 θ(&amp;M)</translation>
    </message>
    <message>
        <source>All</source>
        <translation>모두</translation>
    </message>
    <message>
        <source>R&amp;eset to the paper&apos;s</source>
        <translation>논문 값으로(&amp;E)</translation>
    </message>
    <message>
        <source>How many layers of the opened dense block are drawn. Add one at a time to watch each new layer receive the maps of every layer before it.</source>
        <translation>열린 덴스 블록에서 그릴 층 수입니다. 하나씩 늘리며 새 층이 앞선 모든 층의 맵을 받는 모습을 보세요.</translation>
    </message>
    <message>
        <source>Draw every layer of the block; a long block scrolls sideways.</source>
        <translation>블록의 모든 층을 그립니다. 긴 블록은 옆으로 스크롤됩니다.</translation>
    </message>
    <message>
        <source>Growth rate k: the feature maps each layer adds. A larger k gives more maps, parameters and multiply-adds; the paper uses 12 to 40 for small photos and 32 for ImageNet.</source>
        <translation>성장률 k: 각 층이 더하는 특징 맵 수입니다. k가 클수록 맵, 매개변수, 곱셈-덧셈이 늘어납니다. 논문은 작은 사진에 12~40, ImageNet에 32를 씁니다.</translation>
    </message>
    <message>
        <source>How many layers the opened dense block has. More layers: more maps at its end, and a costlier transition after it.</source>
        <translation>열린 덴스 블록의 층 수입니다. 층이 많을수록 블록 끝의 맵이 많아지고 뒤따르는 전이의 비용도 커집니다.</translation>
    </message>
    <message>
        <source>Compression θ: the share of the feature maps a transition keeps. DenseNet-BC uses 0.5; 1 keeps them all, as the plain DenseNet does.</source>
        <translation>압축 θ: 전이가 남기는 특징 맵의 비율입니다. DenseNet-BC는 0.5를 쓰고, 1이면 압축 없는 DenseNet처럼 모두 남깁니다.</translation>
    </message>
    <message>
        <source>Back to the k, layers and θ of the network chosen above (the published one, or the loaded model&apos;s).</source>
        <translation>위에서 고른 네트워크(논문의 것 또는 불러온 모델의 것)의 k, 층 수, θ로 되돌립니다.</translation>
    </message>
    <message>
        <source>Layers shown</source>
        <translation>표시할 층</translation>
    </message>
    <message>
        <source>Growth rate k</source>
        <translation>성장률 k</translation>
    </message>
    <message>
        <source>Layers in this block</source>
        <translation>이 블록의 층 수</translation>
    </message>
    <message>
        <source>Compression θ</source>
        <translation>압축 θ</translation>
    </message>
    <message>
        <source>Drawing of the opened block</source>
        <translation>열린 블록의 그림</translation>
    </message>
    <message>
        <source>{0} → {1} maps, {2}×{3} → {4}×{5}; {6:,} parameters, {7} multiply-adds.</source>
        <translation>맵 {0} → {1}개, {2}×{3} → {4}×{5}; 매개변수 {6:,}개, 곱셈-덧셈 {7}회.</translation>
    </message>
    <message>
        <source>Choose a DenseNet above to see its dense blocks drawn.</source>
        <translation>위에서 DenseNet을 고르면 덴스 블록이 그려집니다.</translation>
    </message>
    <message>
        <source>Open a dense block or a transition (click it above or in the table) to see it drawn.</source>
        <translation>덴스 블록이나 전이를 열면(위 그림이나 표에서 클릭) 그려집니다.</translation>
    </message>
    <message>
        <source>θ = {0:g} leaves a transition no feature maps; choose a larger θ.</source>
        <translation>θ = {0:g}이면 전이에 특징 맵이 하나도 남지 않습니다. 더 큰 θ를 고르세요.</translation>
    </message>
    <message>
        <source>The input size is too small for this network; see the message above.</source>
        <translation>입력 크기가 이 네트워크에 너무 작습니다. 위의 메시지를 보세요.</translation>
    </message>
    <message>
        <source>of {0}</source>
        <translation>/ {0}</translation>
    </message>
    <message>
        <source>x₀ and {0} layers: {1} → {2} maps, {3:,} parameters, {4} multiply-adds.</source>
        <translation>x₀와 층 {0}개: 맵 {1} → {2}개, 매개변수 {3:,}개, 곱셈-덧셈 {4}회.</translation>
    </message>
    <message>
        <source>{0:,} parameters, {1:.3f} G multiply-adds</source>
        <translation>매개변수 {0:,}개, 곱셈-덧셈 {1:.3f} G회</translation>
    </message>
    <message>
        <source>Your edit of {0}: k = {1}, layers {2}, θ = {3:g}; {4}. The table below still shows the unedited network.</source>
        <translation>{0}을(를) 고친 네트워크: k = {1}, 층 {2}, θ = {3:g}; {4}. 아래 표는 고치기 전 네트워크를 보여 줍니다.</translation>
    </message>
</context>
<context>
    <name>EngineText</name>
    <message>
        <source>no permission to write there</source>
        <translation>그곳에 쓸 권한이 없습니다</translation>
    </message>
    <message>
        <source>the disk or folder is read-only</source>
        <translation>디스크나 폴더가 읽기 전용입니다</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>디스크가 가득 찼습니다</translation>
    </message>
    <message>
        <source>the disk quota is used up</source>
        <translation>디스크 할당량을 다 썼습니다</translation>
    </message>
    <message>
        <source>{0} ImageNet weights, with its 1,000-class classifier</source>
        <translation>{0} ImageNet 가중치, 1,000개 클래스 분류기 포함</translation>
    </message>
    <message>
        <source>{0} ImageNet weights, without classifier, for training</source>
        <translation>{0} ImageNet 가중치, 분류기 없음 (학습용)</translation>
    </message>
    <message>
        <source>stem</source>
        <translation>스템</translation>
    </message>
    <message>
        <source>dense block</source>
        <translation>덴스 블록</translation>
    </message>
    <message>
        <source>transition</source>
        <translation>전이</translation>
    </message>
    <message>
        <source>head</source>
        <translation>헤드</translation>
    </message>
    <message>
        <source>not a regular file (a pipe, a device or a socket)</source>
        <translation>일반 파일이 아님 (파이프, 장치 또는 소켓)</translation>
    </message>
    <message>
        <source>empty file (0 bytes)</source>
        <translation>빈 파일 (0바이트)</translation>
    </message>
    <message>
        <source>not a photo the app can open (it reads JPEG, PNG, BMP, GIF, WebP and TIFF)</source>
        <translation>앱이 열 수 있는 사진이 아닙니다 (JPEG, PNG, BMP, GIF, WebP, TIFF를 읽습니다)</translation>
    </message>
    <message>
        <source>a damaged or incomplete photo (corrupt or truncated)</source>
        <translation>손상되었거나 일부가 잘린 사진입니다</translation>
    </message>
    <message>
        <source>too many pixels to open safely (over 89 million)</source>
        <translation>픽셀이 너무 많아 안전하게 열 수 없습니다 (8,900만 개 초과)</translation>
    </message>
    <message>
        <source>file not found</source>
        <translation>파일을 찾을 수 없음</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>읽을 권한이 없음</translation>
    </message>
    <message>
        <source>symbolic link to nothing (broken, or a loop)</source>
        <translation>아무것도 가리키지 않는 심볼릭 링크입니다 (끊겼거나 순환)</translation>
    </message>
    <message>
        <source>the file changed while it was being read (run again)</source>
        <translation>읽는 동안 파일이 바뀌었습니다 (다시 실행하세요)</translation>
    </message>
    <message>
        <source>{path}: not a folder</source>
        <translation>{path}: 폴더가 아닙니다</translation>
    </message>
    <message>
        <source>{path}: folder not found</source>
        <translation>{path}: 폴더를 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>{path}: needs at least two class subfolders (one per class), found only &apos;{name}&apos;</source>
        <translation>{path}: 클래스 하위 폴더가 두 개 이상 필요합니다(클래스마다 하나). &apos;{name}&apos; 하나만 있습니다</translation>
    </message>
    <message>
        <source>{path}: needs at least two class subfolders (one per class), found none (e.g. put photos in cat/ and dog/)</source>
        <translation>{path}: 클래스 하위 폴더가 두 개 이상 필요합니다(클래스마다 하나). 하나도 없습니다(예: 사진을 cat/과 dog/에 넣으세요)</translation>
    </message>
    <message>
        <source>class &apos;{name}&apos; has no usable image</source>
        <translation>클래스 &apos;{name}&apos;에 쓸 수 있는 이미지가 없습니다</translation>
    </message>
    <message>
        <source>class &apos;{name}&apos; has no usable image; {count} file(s) skipped, e.g. {file}: {reason}</source>
        <translation>클래스 &apos;{name}&apos;에 쓸 수 있는 이미지가 없습니다. 파일 {count}개를 건너뛰었습니다. 예: {file}: {reason}</translation>
    </message>
    <message>
        <source>class &apos;{name}&apos; has no image in the train/ folder</source>
        <translation>클래스 &apos;{name}&apos;의 train/ 폴더에 이미지가 없습니다</translation>
    </message>
    <message>
        <source>{path} looks like a folder of datasets, not of classes: {folders} hold the same class folders ({classes}). Did you mean {suggested}?</source>
        <translation>{path}은(는) 클래스 폴더가 아니라 데이터셋들을 담은 폴더로 보입니다: {folders}에 같은 클래스 폴더({classes})가 들어 있습니다. {suggested}을(를) 고르려던 것인가요?</translation>
    </message>
    <message>
        <source>{path}: cannot write ({reason})</source>
        <translation>{path}: 쓸 수 없습니다({reason})</translation>
    </message>
    <message>
        <source>{path}: cannot write ({file} is a file, not a folder)</source>
        <translation>{path}: 쓸 수 없습니다({file}은(는) 폴더가 아니라 파일입니다)</translation>
    </message>
    <message>
        <source>{path}: model file not found</source>
        <translation>{path}: 모델 파일을 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>{path}: not a Keras model file, or truncated (not a complete .keras zip)</source>
        <translation>{path}: Keras 모델 파일이 아니거나 잘린 파일입니다(완전한 .keras zip이 아님)</translation>
    </message>
    <message>
        <source>{path}: model file is corrupt (entry {entry} fails its checksum)</source>
        <translation>{path}: 모델 파일이 손상되었습니다(항목 {entry}의 체크섬이 맞지 않음)</translation>
    </message>
    <message>
        <source>{path}: not a Keras model file (no config.json inside)</source>
        <translation>{path}: Keras 모델 파일이 아닙니다(안에 config.json이 없음)</translation>
    </message>
    <message>
        <source>{path}: refused, the model contains code (e.g. a Lambda layer) that could run on loading</source>
        <translation>{path}: 거부했습니다. 불러올 때 실행될 수 있는 코드(예: Lambda 층)가 모델에 들어 있습니다</translation>
    </message>
    <message>
        <source>{path}: refused, it would run code from outside Keras ({name}) on loading</source>
        <translation>{path}: 거부됨. 불러올 때 Keras 밖의 코드({name})를 실행하게 됩니다</translation>
    </message>
    <message>
        <source>{path}: written by a newer version of DenseNet Studio (format {format}); update the app to open it</source>
        <translation>{path}: 더 새로운 버전의 DenseNet Studio가 쓴 파일입니다 (형식 {format}). 열려면 앱을 업데이트하세요</translation>
    </message>
    <message>
        <source>{path}: cannot load the model; it is damaged or was saved by a newer version of Keras (see the details)</source>
        <translation>{path}: 모델을 불러올 수 없습니다. 손상되었거나 더 새로운 Keras 버전으로 저장된 파일입니다(자세히 보기 참고)</translation>
    </message>
    <message>
        <source>the downloaded {file} is damaged (checksum mismatch); try again</source>
        <translation>내려받은 {file}이(가) 손상되었습니다(체크섬 불일치). 다시 시도하세요</translation>
    </message>
    <message>
        <source>The ImageNet weights ({file}, {size_mb} MB) could not be downloaded: the internet cannot be reached. Connect to the internet and try again, or use a weights file downloaded before.</source>
        <translation>ImageNet 가중치({file}, {size_mb} MB)를 내려받을 수 없습니다: 인터넷에 연결할 수 없습니다. 인터넷에 연결한 뒤 다시 시도하거나, 전에 내려받은 가중치 파일을 사용하세요.</translation>
    </message>
    <message>
        <source>The download of the ImageNet weights ({file}) stopped before it ended. Try again, or use a weights file downloaded before.</source>
        <translation>ImageNet 가중치({file}) 내려받기가 끝나기 전에 멈췄습니다. 다시 시도하거나, 전에 내려받은 가중치 파일을 사용하세요.</translation>
    </message>
    <message>
        <source>{path}: weights file not found</source>
        <translation>{path}: 가중치 파일을 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>{path}: not an HDF5 weights file (.h5) as keras.applications publishes</source>
        <translation>{path}: keras.applications가 배포하는 HDF5 가중치 파일(.h5)이 아닙니다</translation>
    </message>
    <message>
        <source>{path}: an HDF5 file without Keras layer weights</source>
        <translation>{path}: Keras 층 가중치가 없는 HDF5 파일입니다</translation>
    </message>
    <message>
        <source>{path}: not the weights of DenseNet-121, 169 or 201 as keras.applications publishes them</source>
        <translation>{path}: keras.applications가 배포하는 DenseNet-121, 169, 201의 가중치가 아닙니다</translation>
    </message>
    <message>
        <source>{path}: these weights do not fit {model}: no weights for layers {layers}</source>
        <translation>{path}: 이 가중치는 {model}에 맞지 않습니다: 층 {layers}의 가중치가 없습니다</translation>
    </message>
    <message>
        <source>The training process ended unexpectedly; the best model saved so far is kept.</source>
        <translation>학습 프로세스가 예기치 않게 끝났습니다. 지금까지 저장된 가장 좋은 모델은 남아 있습니다.</translation>
    </message>
    <message>
        <source>The training stopped on a problem DenseNet Studio did not expect; the best model saved so far is kept. Please report it with the details.</source>
        <translation>DenseNet Studio가 예상하지 못한 문제로 학습이 멈췄습니다. 지금까지 저장된 가장 좋은 모델은 남아 있습니다. 자세한 내용과 함께 알려 주세요.</translation>
    </message>
    <message>
        <source>The training did not answer the stop request, so it was ended; the best model saved so far is kept.</source>
        <translation>학습이 멈춤 요청에 응답하지 않아 종료했습니다. 지금까지 저장된 가장 좋은 모델은 남아 있습니다.</translation>
    </message>
    <message>
        <source>The label check&apos;s process ended unexpectedly; nothing in the folder was changed.</source>
        <translation>레이블 검사 프로세스가 예기치 않게 끝났습니다. 폴더에서 바뀐 것은 없습니다.</translation>
    </message>
    <message>
        <source>The label check stopped on a problem DenseNet Studio did not expect; nothing in the folder was changed. Please report it with the details.</source>
        <translation>DenseNet Studio가 예상하지 못한 문제로 레이블 검사가 멈췄습니다. 폴더에서 바뀐 것은 없습니다. 자세한 내용과 함께 알려 주세요.</translation>
    </message>
    <message>
        <source>The label check did not answer the stop request, so it was ended; nothing in the folder was changed.</source>
        <translation>레이블 검사가 중지 요청에 응답하지 않아 끝냈습니다. 폴더에서 바뀐 것은 없습니다.</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>시작하는 중</translation>
    </message>
    <message>
        <source>decoding photos</source>
        <translation>사진 디코딩 중</translation>
    </message>
    <message>
        <source>downloading the ImageNet weights</source>
        <translation>ImageNet 가중치 내려받는 중</translation>
    </message>
    <message>
        <source>building</source>
        <translation>모델 만드는 중</translation>
    </message>
    <message>
        <source>computing features</source>
        <translation>특징 계산 중</translation>
    </message>
    <message>
        <source>training the classifier</source>
        <translation>분류기 학습 중</translation>
    </message>
    <message>
        <source>fine-tuning</source>
        <translation>미세 조정 중</translation>
    </message>
    <message>
        <source>training</source>
        <translation>학습 중</translation>
    </message>
    <message>
        <source>compiling</source>
        <translation>컴파일 중</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>저장 중</translation>
    </message>
    <message>
        <source>evaluating on the photos the model did not train on</source>
        <translation>학습에 쓰지 않은 사진으로 평가 중</translation>
    </message>
    <message>
        <source>Loading the machine-learning library (a few seconds).</source>
        <translation>머신러닝 라이브러리를 불러옵니다(몇 초 걸립니다).</translation>
    </message>
    <message>
        <source>Reading each photo of {folder} once.</source>
        <translation>{folder}의 사진을 한 장씩 한 번 읽습니다.</translation>
    </message>
    <message>
        <source>Building a {network} network for photos of {size}x{size} pixels.</source>
        <translation>{size}x{size} 픽셀 사진에 맞는 {network} 신경망을 만듭니다.</translation>
    </message>
    <message>
        <source>The {network} trained on ImageNet looks at each photo once.</source>
        <translation>ImageNet으로 학습된 {network} 신경망이 사진을 한 장씩 한 번 봅니다.</translation>
    </message>
    <message>
        <source>A small last layer learns your classes from the {features} numbers the network found in each photo.</source>
        <translation>신경망이 사진마다 찾아낸 숫자 {features}개로 작은 마지막 층이 여러분의 클래스를 배웁니다.</translation>
    </message>
    <message>
        <source>Preparing the training step; the first photos follow shortly.</source>
        <translation>학습 단계를 준비합니다. 곧 첫 사진들이 들어갑니다.</translation>
    </message>
    <message>
        <source>Writing the model to {path}.</source>
        <translation>모델을 {path}에 저장합니다.</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{total}개 중 {done}개</translation>
    </message>
    <message>
        <source>{done:.1f} MB</source>
        <translation>{done:.1f} MB</translation>
    </message>
    <message>
        <source>{done:.1f} of {total:.1f} MB</source>
        <translation>{total:.1f} MB 중 {done:.1f} MB</translation>
    </message>
    <message>
        <source>plan: {epochs} epochs, was {was}: epochs take {seconds:.3g} s, not {assumed:.3g} s</source>
        <translation>계획: 에포크 {epochs}개(이전 {was}개). 에포크 하나에 {assumed:.3g}초가 아니라 {seconds:.3g}초가 걸립니다</translation>
    </message>
    <message>
        <source>done: all {epochs} planned epochs ran</source>
        <translation>완료: 계획한 에포크 {epochs}개를 모두 마쳤습니다</translation>
    </message>
    <message>
        <source>done: {epochs} epochs filled the time budget</source>
        <translation>완료: 에포크 {epochs}개로 시간 예산을 채웠습니다</translation>
    </message>
    <message>
        <source>stopped after epoch {epoch} of {epochs} planned: validation loss did not improve for {patience} epochs</source>
        <translation>계획한 에포크 {epochs}개 중 {epoch}번째에서 멈춤: 검증 손실이 에포크 {patience}개 동안 나아지지 않았습니다</translation>
    </message>
    <message>
        <source>stopped after epoch {epoch} of {epochs} planned: the time budget ran out</source>
        <translation>계획한 에포크 {epochs}개 중 {epoch}번째에서 멈춤: 시간 예산을 다 썼습니다</translation>
    </message>
    <message>
        <source>stopped by you after epoch {epoch} of {epochs} planned</source>
        <translation>계획한 에포크 {epochs}개 중 {epoch}번째에서 사용자가 멈췄습니다</translation>
    </message>
    <message>
        <source>stopped before the first epoch completed: no model was written</source>
        <translation>첫 에포크가 끝나기 전에 멈춰서 모델을 저장하지 않았습니다</translation>
    </message>
    <message>
        <source>stopped in epoch {epoch}: the loss became NaN (not a number), so the learning rate is too high; train again with a lower one</source>
        <translation>에포크 {epoch}에서 멈춤: 손실이 NaN(숫자가 아님)이 되었습니다. 학습률이 너무 높으니 더 낮은 학습률로 다시 학습하세요</translation>
    </message>
    <message>
        <source>{accuracy:.0%} ± {margin:.0%} on {photos} photos; guessing gets {chance:.0%}</source>
        <translation>사진 {photos}장에서 {accuracy:.0%} ± {margin:.0%}. 찍어서 맞히면 {chance:.0%}</translation>
    </message>
    <message>
        <source>This is within reach of guessing. What helps: more photos per class, a longer time budget, or ImageNet weights (needs the internet once).</source>
        <translation>찍어서 맞히는 것과 크게 다르지 않습니다. 도움이 되는 것: 클래스마다 사진 더 많이, 더 긴 시간 예산, 또는 ImageNet 가중치(한 번 인터넷 연결 필요).</translation>
    </message>
    <message>
        <source>Too few photos were held out to judge this score. What helps: more photos per class (at least {needed} held out), or a test/ folder of photos the model does not train on.</source>
        <translation>따로 떼어 둔 사진이 너무 적어 이 점수를 판단할 수 없습니다. 도움이 되는 것: 클래스마다 사진 더 많이(떼어 둘 사진 {needed}장 이상), 또는 모델이 학습하지 않는 사진을 담은 test/ 폴더.</translation>
    </message>
    <message>
        <source>{folder}: refused as a cache folder, it is a symbolic link (another user may have planted it); choose another cache folder</source>
        <translation>{folder}: 캐시 폴더로 쓸 수 없습니다. 심볼릭 링크입니다(다른 사용자가 심어 두었을 수 있습니다). 다른 캐시 폴더를 고르세요</translation>
    </message>
    <message>
        <source>{folder}: refused as a cache folder, it belongs to another user; choose a cache folder of your own</source>
        <translation>{folder}: 캐시 폴더로 쓸 수 없습니다. 다른 사용자의 폴더입니다. 내 캐시 폴더를 고르세요</translation>
    </message>
    <message>
        <source>{path}: not moved, {target} already has a photo of that name</source>
        <translation>{path}: 옮기지 않았습니다. {target}에 같은 이름의 사진이 이미 있습니다</translation>
    </message>
    <message>
        <source>{path}: not moved, the photo is no longer there</source>
        <translation>{path}: 옮기지 않았습니다. 사진이 더 이상 그 자리에 없습니다</translation>
    </message>
    <message>
        <source>{path}: not moved, it is not a photo of {root}</source>
        <translation>{path}: 옮기지 않았습니다. {root}의 사진이 아닙니다</translation>
    </message>
    <message>
        <source>{path}: not moved ({reason})</source>
        <translation>{path}: 옮기지 않았습니다 ({reason})</translation>
    </message>
    <message>
        <source>{root}: nothing to undo since the last training</source>
        <translation>{root}: 마지막 학습 이후 되돌릴 것이 없습니다</translation>
    </message>
    <message>
        <source>{path}: the list of photo moves is damaged ({reason}); the photos are where they are now, but those moves cannot be undone</source>
        <translation>{path}: 사진 이동 기록이 손상되었습니다 ({reason}). 사진은 지금 위치에 그대로 있지만, 그 이동들은 되돌릴 수 없습니다</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; cannot name a class folder: no slashes, and no dot at its start</source>
        <translation>&apos;{name}&apos;(은)는 클래스 폴더 이름이 될 수 없습니다: 슬래시(/, \)를 넣거나 점(.)으로 시작할 수 없습니다</translation>
    </message>
    <message>
        <source>there is a class named &apos;{name}&apos; already</source>
        <translation>&apos;{name}&apos; 클래스가 이미 있습니다</translation>
    </message>
    <message>
        <source>writing the {format} export</source>
        <translation>{format} 내보내기 파일 쓰는 중</translation>
    </message>
    <message>
        <source>loading it back with {runtime}</source>
        <translation>{runtime}(으)로 다시 불러오는 중</translation>
    </message>
    <message>
        <source>comparing its answers with the model&apos;s on {images} test images</source>
        <translation>시험 이미지 {images}장으로 모델과 답을 비교하는 중</translation>
    </message>
    <message>
        <source>unknown export format &apos;{format}&apos;; choose one of {formats}</source>
        <translation>알 수 없는 내보내기 형식 &apos;{format}&apos;입니다. {formats} 중에서 고르세요</translation>
    </message>
    <message>
        <source>{path}: a {format} file must end in {suffix}</source>
        <translation>{path}: {format} 파일 이름은 {suffix}(으)로 끝나야 합니다</translation>
    </message>
    <message>
        <source>{path}: already exists; choose another name or remove it</source>
        <translation>{path}: 이미 있습니다. 다른 이름을 고르거나 그것을 지우세요</translation>
    </message>
    <message>
        <source>{folder}: folder not found</source>
        <translation>{folder}: 폴더를 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>{path}: could not write the export ({reason})</source>
        <translation>{path}: 내보내기 파일을 쓰지 못했습니다({reason})</translation>
    </message>
    <message>
        <source>{path}: {format} export cannot be done on this computer ({module} is not installed)</source>
        <translation>{path}: 이 컴퓨터에서는 {format}(으)로 내보낼 수 없습니다({module}이(가) 설치되어 있지 않습니다)</translation>
    </message>
    <message>
        <source>Training with ordinary 32-bit numbers.</source>
        <translation>보통의 32비트 숫자로 학습합니다.</translation>
    </message>
    <message>
        <source>Training with 16-bit numbers where safe (faster on this {where}).</source>
        <translation>안전한 곳에서는 16비트 숫자로 학습합니다(이 {where}에서 더 빠릅니다).</translation>
    </message>
    <message>
        <source>Training with 16-bit numbers where safe, as you chose.</source>
        <translation>선택한 대로, 안전한 곳에서는 16비트 숫자로 학습합니다.</translation>
    </message>
    <message>
        <source>Saving memory by working some steps out twice (slower, but the network fits in memory).</source>
        <translation>일부 계산을 두 번 해서 메모리를 아낍니다(느리지만 신경망이 메모리에 들어갑니다).</translation>
    </message>
    <message>
        <source>The training step is compiled first (faster on a GPU).</source>
        <translation>학습 단계를 먼저 컴파일합니다(GPU에서 더 빠릅니다).</translation>
    </message>
    <message>
        <source>{network} at {size} px, {how}, about {time} on this {where}</source>
        <translation>{network}, {size} px, {how}, 이 {where}에서 약 {time}</translation>
    </message>
    <message>
        <source>ImageNet transfer, {epochs}</source>
        <translation>ImageNet 전이 학습, {epochs}</translation>
    </message>
    <message>
        <source>{count} epochs</source>
        <translation>에포크 {count}개</translation>
    </message>
    <message>
        <source>1 epoch</source>
        <translation>에포크 1개</translation>
    </message>
    <message>
        <source>{count} fine-tune epochs</source>
        <translation>미세 조정 에포크 {count}개</translation>
    </message>
    <message>
        <source>1 fine-tune epoch</source>
        <translation>미세 조정 에포크 1개</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes}분</translation>
    </message>
    <message>
        <source>{hours:.1f} h</source>
        <translation>{hours:.1f}시간</translation>
    </message>
    <message>
        <source>grey</source>
        <translation>흑백</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>컬러</translation>
    </message>
    <message>
        <source>ImageNet weights at hand</source>
        <translation>ImageNet 가중치가 이 컴퓨터에 있음</translation>
    </message>
    <message>
        <source>ImageNet weights downloadable (29 MB)</source>
        <translation>ImageNet 가중치를 내려받을 수 있음(29 MB)</translation>
    </message>
    <message>
        <source>{photos} colour photos of about {size} px pass the trained network once (~{time}), then {fine_tune} epochs tune its last block</source>
        <translation>약 {size} px 컬러 사진 {photos}장이 학습된 신경망을 한 번 지나가고(~{time}), 이어서 에포크 {fine_tune}개 동안 마지막 블록을 조정함</translation>
    </message>
    <message>
        <source>{photos} {tone} photos of about {size} px, {classes} classes</source>
        <translation>약 {size} px {tone} 사진 {photos}장, 클래스 {classes}개</translation>
    </message>
    <message>
        <source>{photos} {tone} photos of about {size} px</source>
        <translation>약 {size} px {tone} 사진 {photos}장</translation>
    </message>
    <message>
        <source>the deepest DenseNet-BC that gets {wanted} epochs in {time}</source>
        <translation>{time} 안에 에포크 {wanted}개를 마칠 수 있는 가장 깊은 DenseNet-BC</translation>
    </message>
    <message>
        <source>even the smallest DenseNet-BC gets only {epochs} in {time}</source>
        <translation>가장 작은 DenseNet-BC도 {time} 안에 {epochs}밖에 마치지 못함</translation>
    </message>
    <message>
        <source>no mirrored photos, since a mirror image looks like another class (as a mirrored 3 does)</source>
        <translation>좌우로 뒤집은 사진은 쓰지 않음: 뒤집으면 다른 클래스처럼 보이기 때문(뒤집은 3처럼)</translation>
    </message>
    <message>
        <source>every photo trains it, since a fifth would be fewer than the {needed} photos a score needs (a test/ folder gives one)</source>
        <translation>모든 사진을 학습에 씀: 5분의 1로는 점수에 필요한 사진 {needed}장보다 적기 때문(test/ 폴더가 있으면 점수를 냄)</translation>
    </message>
    <message>
        <source>photos blended in pairs, since {epochs} would learn them by heart</source>
        <translation>사진을 두 장씩 섞음: {epochs}이면 사진을 통째로 외워 버리기 때문</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export {0}</source>
        <translation>{0} 내보내기</translation>
    </message>
    <message>
        <source>Write {0} in a format other programs can run. The app then loads the export back and checks that it answers as the model does.</source>
        <translation>{0}을(를) 다른 프로그램이 실행할 수 있는 형식으로 씁니다. 그런 다음 내보낸 것을 다시 불러와 모델과 같은 답을 내는지 확인합니다.</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>형식</translation>
    </message>
    <message>
        <source>&amp;SavedModel folder</source>
        <translation>SavedModel 폴더(&amp;S)</translation>
    </message>
    <message>
        <source>T&amp;FLite file</source>
        <translation>TFLite 파일(&amp;F)</translation>
    </message>
    <message>
        <source>O&amp;NNX file</source>
        <translation>ONNX 파일(&amp;N)</translation>
    </message>
    <message>
        <source>For TensorFlow programs and TensorFlow Serving on a server.</source>
        <translation>TensorFlow 프로그램과 서버의 TensorFlow Serving에서 씁니다.</translation>
    </message>
    <message>
        <source>For phones and small devices (Android, iOS, Raspberry Pi), run by LiteRT.</source>
        <translation>휴대폰과 작은 기기(Android, iOS, Raspberry Pi)에서 LiteRT로 실행합니다.</translation>
    </message>
    <message>
        <source>For almost any other program or language, run by ONNX Runtime (C#, C++, Java, the web).</source>
        <translation>그 밖의 거의 모든 프로그램과 언어(C#, C++, Java, 웹)에서 ONNX Runtime으로 실행합니다.</translation>
    </message>
    <message>
        <source>Save &amp;to:</source>
        <translation>저장 위치(&amp;T):</translation>
    </message>
    <message>
        <source>Where to write the export</source>
        <translation>내보낼 위치</translation>
    </message>
    <message>
        <source>Where the export is written, beside the model unless you choose another place; the name gets the format&apos;s ending.</source>
        <translation>내보낸 파일을 쓸 곳입니다. 다른 곳을 고르지 않으면 모델 옆에 쓰며, 이름에는 형식에 맞는 확장자가 붙습니다.</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>찾아보기(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>내보내기(&amp;E)</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>내보내기 진행률</translation>
    </message>
    <message>
        <source>SavedModel folder (*)</source>
        <translation>SavedModel 폴더 (*)</translation>
    </message>
    <message>
        <source>TFLite files (*.tflite)</source>
        <translation>TFLite 파일 (*.tflite)</translation>
    </message>
    <message>
        <source>ONNX files (*.onnx)</source>
        <translation>ONNX 파일 (*.onnx)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>내보낼 위치</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>내보내기를 취소했습니다. 아무것도 쓰지 않았습니다.</translation>
    </message>
    <message>
        <source>Exported and checked: {0}. On {1} test images it answers as the model does: the probabilities differ by at most {2} (the limit is {3}), and the top class is the same on {4} of {1}.</source>
        <translation>내보내고 확인했습니다: {0}. 시험 이미지 {1}장에서 모델과 같은 답을 냅니다. 확률 차이는 최대 {2}(한도 {3})이고, 가장 높은 클래스는 {1}장 중 {4}장에서 같습니다.</translation>
    </message>
    <message>
        <source>The check failed: {0} answers differently from the model. On {1} test images the probabilities differ by up to {2} (the limit is {3}); the top class is the same on {4} of {1}. The export is kept, as the command line keeps it, so that it can be looked at; do not use it as it is.</source>
        <translation>확인에 실패했습니다: {0}은(는) 모델과 다른 답을 냅니다. 시험 이미지 {1}장에서 확률이 최대 {2}만큼 다르고(한도 {3}), 가장 높은 클래스는 {1}장 중 {4}장에서 같습니다. 명령줄에서처럼 살펴볼 수 있게 남겨 두었지만, 그대로 쓰지는 마세요.</translation>
    </message>
    <message>
        <source>Note: it answers for each photo alone, while the app averages this model&apos;s answers for a photo and its mirror image.</source>
        <translation>참고: 내보낸 모델은 사진 한 장만 보고 답하지만, 앱은 이 모델이 사진과 그 좌우 반전 이미지에 낸 답을 평균합니다.</translation>
    </message>
    <message>
        <source>&amp;Cancel export</source>
        <translation>내보내기 취소(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Step {0} of {1}: {2}…</source>
        <translation>{1}단계 중 {0}단계: {2}…</translation>
    </message>
    <message>
        <source>Cancelling: this step finishes first, then nothing is left on disk.</source>
        <translation>취소하는 중: 이 단계가 끝난 뒤 디스크에 아무것도 남기지 않습니다.</translation>
    </message>
    <message>
        <source>Waiting for the model&apos;s other work to finish…</source>
        <translation>모델의 다른 작업이 끝나기를 기다리는 중…</translation>
    </message>
    <message>
        <source>Export is running</source>
        <translation>내보내는 중입니다</translation>
    </message>
    <message>
        <source>Stop the export and quit? The step under way finishes first; nothing half-written is left.</source>
        <translation>내보내기를 멈추고 끝낼까요? 진행 중인 단계는 먼저 끝나며, 쓰다 만 파일은 남지 않습니다.</translation>
    </message>
</context>
<context>
    <name>FeatureMapsDialog</name>
    <message>
        <source>Feature maps of {0}</source>
        <translation>{0}의 특징 맵</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>특징 맵</translation>
    </message>
    <message>
        <source>Running {0} on {1}…</source>
        <translation>{1}에 {0} 실행 중…</translation>
    </message>
    <message>
        <source>{0} on {1}: the most active of each stage&apos;s feature maps, brighter is stronger.</source>
        <translation>{1}에 대한 {0}: 단계마다 가장 강하게 반응한 특징 맵입니다. 밝을수록 강합니다.</translation>
    </message>
    <message>
        <source>map {0}</source>
        <translation>맵 {0}</translation>
    </message>
</context>
<context>
    <name>FolderReview</name>
    <message>
        <source>Re&amp;view a folder with the model in use…</source>
        <translation>사용 중인 모델로 폴더 검토(&amp;V)…</translation>
    </message>
    <message>
        <source>Score a folder of class subfolders with the loaded model and review its photos, without training.</source>
        <translation>클래스별 하위 폴더가 있는 폴더를 불러온 모델로 채점하고, 학습 없이 그 사진들을 검토합니다.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Review progress</source>
        <translation>검토 진행률</translation>
    </message>
    <message>
        <source>No model is loaded: open one from the Model menu, or train one.</source>
        <translation>불러온 모델이 없습니다. 모델 메뉴에서 모델을 열거나 새로 학습하세요.</translation>
    </message>
    <message>
        <source>A training is running: review a folder once it has ended.</source>
        <translation>학습 중입니다. 학습이 끝난 뒤에 폴더를 검토하세요.</translation>
    </message>
    <message>
        <source>Review a folder of class subfolders</source>
        <translation>클래스별 하위 폴더가 있는 폴더 검토</translation>
    </message>
    <message>
        <source>Reviewing {0} with {1}…</source>
        <translation>{0} 폴더를 {1}(으)로 검토하는 중…</translation>
    </message>
    <message>
        <source>Review cancelled.</source>
        <translation>검토를 취소했습니다.</translation>
    </message>
</context>
<context>
    <name>HeatScale</name>
    <message>
        <source>looked little</source>
        <translation>적게 봄</translation>
    </message>
    <message>
        <source>looked most</source>
        <translation>가장 많이 봄</translation>
    </message>
    <message>
        <source>Heatmap colours: blue where the network looked little, red where it looked most</source>
        <translation>히트맵 색: 파란색은 신경망이 적게 본 곳, 빨간색은 가장 많이 본 곳</translation>
    </message>
</context>
<context>
    <name>LabelProblemsDialog</name>
    <message>
        <source>group {0}</source>
        <translation>묶음 {0}</translation>
    </message>
    <message>
        <source>Label problems in {0}</source>
        <translation>{0}의 라벨 문제</translation>
    </message>
    <message>
        <source>Finds photos that look wrongly labelled, photos that look alike (maybe twice in the folder, or in two classes) and photos unlike the rest. Each photo is judged by models that never saw it. Without ImageNet weights this trains five small networks within the time below.</source>
        <translation>라벨이 잘못된 것 같은 사진, 서로 닮은 사진(폴더에 두 번 있거나 두 클래스에 들어 있을 수 있음), 나머지와 동떨어진 사진을 찾습니다. 각 사진은 그 사진을 본 적 없는 모델이 판단합니다. ImageNet 가중치가 없으면 아래 시간 안에 작은 신경망 다섯 개를 학습합니다.</translation>
    </message>
    <message>
        <source>&amp;Minutes:</source>
        <translation>시간(분)(&amp;M):</translation>
    </message>
    <message>
        <source>More time trains the small networks longer: they judge better. Give it more for a large folder, or when the photos it lists look right to you.</source>
        <translation>시간을 더 주면 작은 신경망들을 더 오래 학습해서 더 잘 판단합니다. 폴더가 크거나, 찾아낸 사진이 보기에 맞게 분류되어 있을 때 늘리세요.</translation>
    </message>
    <message>
        <source>&amp;Find label problems</source>
        <translation>라벨 문제 찾기(&amp;F)</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>멈춤(&amp;O)</translation>
    </message>
    <message>
        <source>Label check progress</source>
        <translation>라벨 검사 진행률</translation>
    </message>
    <message>
        <source>Enter or A: move to the suggested class. K or Space: the label is right. Delete: take out of the folder. 1-9: move to that class. Edit &gt; Undo takes a move back.</source>
        <translation>Enter 또는 A: 제안된 클래스로 옮기기. K 또는 Space: 라벨이 맞음. Delete: 폴더에서 빼기. 1-9: 그 클래스로 옮기기. 편집 &gt; 실행 취소로 옮긴 것을 되돌립니다.</translation>
    </message>
    <message>
        <source>Photos of one group look alike; the caption under each photo names its group. Delete takes one out of the folder; 1-9 moves it to that class.</source>
        <translation>같은 묶음의 사진은 서로 닮았습니다. 사진 아래 글에 묶음 번호가 있습니다. Delete는 폴더에서 빼고, 1-9는 그 클래스로 옮깁니다.</translation>
    </message>
    <message>
        <source>Photos unlike the others, farthest first: a photo of none of the classes, or a damaged one. Delete takes one out of the folder.</source>
        <translation>다른 사진과 동떨어진 사진, 가장 먼 것부터: 어느 클래스에도 속하지 않거나 손상된 사진일 수 있습니다. Delete는 폴더에서 뺍니다.</translation>
    </message>
    <message>
        <source>Likely wrong labels ({0})</source>
        <translation>잘못된 라벨 의심 ({0})</translation>
    </message>
    <message>
        <source>Look-alike groups ({0})</source>
        <translation>닮은 사진 묶음 ({0})</translation>
    </message>
    <message>
        <source>Outliers ({0})</source>
        <translation>동떨어진 사진 ({0})</translation>
    </message>
    <message>
        <source>Checking the labels; this takes up to {0:g} min.</source>
        <translation>라벨을 검사하는 중입니다. 최대 {0:g}분 걸립니다.</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>멈추는 중…</translation>
    </message>
    <message>
        <source>{0} photos judged in {1:.0f} s; the models agree with {2:.0%} of the labels. Likely wrong labels: {3}; look-alike groups: {4}; outliers: {5}.</source>
        <translation>사진 {0}장을 {1:.0f}초 동안 판단했습니다. 모델이 라벨의 {2:.0%}에 동의합니다. 잘못된 라벨 의심: {3}장, 닮은 사진 묶음: {4}개, 동떨어진 사진: {5}장.</translation>
    </message>
    <message>
        <source>Stopped: nothing was changed.</source>
        <translation>멈췄습니다. 아무것도 바뀌지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>The model could not be loaded; the Classify tab says why.</source>
        <translation>모델을 불러오지 못했습니다. 이유는 분류 탭에 있습니다.</translation>
    </message>
    <message>
        <source>DenseNet Studio</source>
        <translation>DenseNet 스튜디오</translation>
    </message>
    <message>
        <source>Main tabs</source>
        <translation>주 탭</translation>
    </message>
    <message>
        <source>&amp;Classify</source>
        <translation>분류(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>학습(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Architecture</source>
        <translation>구조(&amp;A)</translation>
    </message>
    <message>
        <source>S&amp;ort</source>
        <translation>사진 정리(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open photos…</source>
        <translation>사진 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save results as CSV…</source>
        <translation>결과를 CSV로 저장(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>모델(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Open a model file…</source>
        <translation>모델 파일 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;ImageNet DenseNet-121 (1,000 everyday classes)</source>
        <translation>&amp;ImageNet DenseNet-121 (일상 사물 1,000가지)</translation>
    </message>
    <message>
        <source>ImageNet DenseNet from a &amp;weights file…</source>
        <translation>가중치 파일(&amp;W)로 ImageNet DenseNet 쓰기…</translation>
    </message>
    <message>
        <source>&amp;Recent models</source>
        <translation>최근 모델(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;view a folder with this model…</source>
        <translation>이 모델로 폴더 검토(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo the last photo move</source>
        <translation>마지막 사진 이동 되돌리기(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>시스템 언어</translation>
    </message>
    <message>
        <source>Device: {0}</source>
        <translation>장치: {0}</translation>
    </message>
    <message>
        <source>loading TensorFlow…</source>
        <translation>TensorFlow 불러오는 중…</translation>
    </message>
    <message>
        <source>Compute device</source>
        <translation>연산 장치</translation>
    </message>
    <message>
        <source>Loaded model</source>
        <translation>불러온 모델</translation>
    </message>
    <message>
        <source>Load a model first: a model file or the ImageNet DenseNet.</source>
        <translation>먼저 모델을 불러오세요: 모델 파일이나 ImageNet DenseNet.</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(아직 없음)</translation>
    </message>
    <message>
        <source>Model: loading {0}…</source>
        <translation>모델: {0} 불러오는 중…</translation>
    </message>
    <message>
        <source>Model: none</source>
        <translation>모델: 없음</translation>
    </message>
    <message>
        <source>Model: {0} ({1} classes: {2})</source>
        <translation>모델: {0} (클래스 {1}개: {2})</translation>
    </message>
    <message>
        <source>Drop to classify {0} item(s)</source>
        <translation>놓으면 {0}개 항목을 분류합니다</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>학습 중입니다</translation>
    </message>
    <message>
        <source>Stop training and quit? The best model so far is kept.</source>
        <translation>학습을 멈추고 끝낼까요? 지금까지 가장 좋은 모델은 보존됩니다.</translation>
    </message>
</context>
<context>
    <name>ModelState</name>
    <message>
        <source>ImageNet {0}</source>
        <translation>ImageNet {0}</translation>
    </message>
    <message>
        <source>Model {0} is ready.</source>
        <translation>모델 {0} 준비 완료.</translation>
    </message>
</context>
<context>
    <name>NoModelPanel</name>
    <message>
        <source>Drop photos or folders here</source>
        <translation>사진이나 폴더를 여기에 끌어다 놓으세요</translation>
    </message>
    <message>
        <source>First pick a model: the DenseNet trained on ImageNet knows 1,000 everyday things; or train your own on folders of your photos.</source>
        <translation>먼저 모델을 고르세요. ImageNet으로 학습된 DenseNet은 일상 사물 1,000가지를 알아봅니다. 사진 폴더로 직접 학습시킬 수도 있습니다.</translation>
    </message>
    <message>
        <source>Get the ImageNet DenseNet-121 (33 MB)</source>
        <translation>ImageNet DenseNet-121 받기 (33 MB)</translation>
    </message>
    <message>
        <source>Get the ImageNet DenseNet-121</source>
        <translation>ImageNet DenseNet-121 받기</translation>
    </message>
    <message>
        <source>Train your own</source>
        <translation>직접 학습시키기</translation>
    </message>
    <message>
        <source>Open a model file…</source>
        <translation>모델 파일 열기…</translation>
    </message>
    <message>
        <source>Open a model file</source>
        <translation>모델 파일 열기</translation>
    </message>
    <message>
        <source>Use a weights file…</source>
        <translation>가중치 파일 사용…</translation>
    </message>
    <message>
        <source>Use an ImageNet weights file</source>
        <translation>ImageNet 가중치 파일 사용</translation>
    </message>
    <message>
        <source>The ImageNet DenseNet from a .h5 file downloaded before, without the internet</source>
        <translation>미리 받아 둔 .h5 파일로 ImageNet DenseNet을 인터넷 없이 불러옵니다</translation>
    </message>
    <message>
        <source>Loading model</source>
        <translation>모델 불러오는 중</translation>
    </message>
    <message>
        <source>Loading {0}…</source>
        <translation>{0} 불러오는 중…</translation>
    </message>
    <message>
        <source>Loading {0}… (the ImageNet weights are downloaded once, with their checksum checked)</source>
        <translation>{0} 불러오는 중… (ImageNet 가중치는 한 번만 내려받으며 체크섬을 확인합니다)</translation>
    </message>
</context>
<context>
    <name>PhotoMenu</name>
    <message>
        <source>taken out</source>
        <translation>뺌</translation>
    </message>
    <message>
        <source>label kept</source>
        <translation>라벨 유지</translation>
    </message>
    <message>
        <source>moved to {0}</source>
        <translation>{0}(으)로 옮김</translation>
    </message>
    <message>
        <source>Move to class</source>
        <translation>다른 클래스로 옮기기</translation>
    </message>
    <message>
        <source>Take out of the folder</source>
        <translation>폴더에서 빼기</translation>
    </message>
</context>
<context>
    <name>PhotoPreview</name>
    <message>
        <source>Selected photo</source>
        <translation>선택한 사진</translation>
    </message>
    <message>
        <source>Answers for the selected photo</source>
        <translation>선택한 사진의 답</translation>
    </message>
    <message>
        <source>Heatmap: where the network looked for “{0}”.</source>
        <translation>히트맵: 신경망이 “{0}”을(를) 찾으며 본 곳.</translation>
    </message>
    <message>
        <source>(cannot show this file)</source>
        <translation>(이 파일은 표시할 수 없습니다)</translation>
    </message>
</context>
<context>
    <name>Photos</name>
    <message>
        <source>Images ({0});;All files (*)</source>
        <translation>이미지 ({0});;모든 파일 (*)</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Photo</source>
        <translation>사진</translation>
    </message>
    <message>
        <source>Top classes</source>
        <translation>상위 클래스</translation>
    </message>
</context>
<context>
    <name>ReviewGrid</name>
    <message>
        <source>Reviewed photos</source>
        <translation>검토할 사진</translation>
    </message>
    <message>
        <source>Which photos to show</source>
        <translation>보여 줄 사진</translation>
    </message>
    <message>
        <source>Order of the photos</source>
        <translation>사진 순서</translation>
    </message>
    <message>
        <source>Which photos the grid shows: all, only the wrong answers, one class, or the cell of the confusion matrix you clicked.</source>
        <translation>격자에 보여 줄 사진: 전부, 틀린 답만, 한 클래스, 또는 혼동 행렬에서 누른 칸의 사진입니다.</translation>
    </message>
    <message>
        <source>Least sure first puts the photos the model doubts at the top: wrongly labelled and hard photos are found there. Surest first shows what it knows best; folder order, the photos as they lie in the folder.</source>
        <translation>&apos;덜 확실한 것부터&apos;는 모델이 망설이는 사진을 맨 위에 둡니다. 라벨이 잘못된 사진과 어려운 사진이 거기 모입니다. &apos;확실한 것부터&apos;는 모델이 가장 잘 아는 사진부터, &apos;폴더 순서&apos;는 폴더에 있는 순서대로 보여 줍니다.</translation>
    </message>
    <message>
        <source>Double-click or Enter: the photo large, with where the model looked. Right-click, Delete or 1-9: move it to another class or out of the folder.</source>
        <translation>더블클릭 또는 Enter: 사진을 크게, 모델이 본 곳과 함께 봅니다. 오른쪽 클릭, Delete 또는 1-9: 다른 클래스로 옮기거나 폴더에서 뺍니다.</translation>
    </message>
    <message>
        <source>Surest first</source>
        <translation>확실한 것부터</translation>
    </message>
    <message>
        <source>Least sure first</source>
        <translation>덜 확실한 것부터</translation>
    </message>
    <message>
        <source>Folder order</source>
        <translation>폴더 순서</translation>
    </message>
    <message>
        <source>All photos</source>
        <translation>모든 사진</translation>
    </message>
    <message>
        <source>Mistakes only</source>
        <translation>틀린 것만</translation>
    </message>
    <message>
        <source>Class {0}</source>
        <translation>클래스 {0}</translation>
    </message>
    <message>
        <source>Class {0} answered right</source>
        <translation>맞힌 {0}</translation>
    </message>
    <message>
        <source>Class {0} taken for {1}</source>
        <translation>{1}(으)로 잘못 본 {0}</translation>
    </message>
    <message>
        <source>{0} of {1} photos shown; {2} wrong in all</source>
        <translation>사진 {1}장 중 {0}장 표시, 전체에서 {2}장 틀림</translation>
    </message>
    <message>
        <source>{0} of {1} photos shown</source>
        <translation>사진 {1}장 중 {0}장 표시</translation>
    </message>
</context>
<context>
    <name>ReviewPhotoDialog</name>
    <message>
        <source>{0}: where the model looked</source>
        <translation>{0}: 모델이 본 곳</translation>
    </message>
    <message>
        <source>Its folder says {0}; the model says {1} ({2:.1%}).</source>
        <translation>폴더의 클래스는 {0}, 모델의 답은 {1} ({2:.1%})입니다.</translation>
    </message>
    <message>
        <source>Heatmap: where the network looked for “{0}”.</source>
        <translation>히트맵: 신경망이 “{0}”을(를) 찾으며 본 곳.</translation>
    </message>
</context>
<context>
    <name>SortClasses</name>
    <message>
        <source>New class name</source>
        <translation>새 클래스 이름</translation>
    </message>
    <message>
        <source>Add class</source>
        <translation>클래스 추가</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>이름 바꾸기</translation>
    </message>
    <message>
        <source>Sort into {0}</source>
        <translation>{0}(으)로 정리</translation>
    </message>
    <message>
        <source>Press {0}, click, or drop a thumbnail here to sort the photo into {1}</source>
        <translation>{0} 키를 누르거나, 클릭하거나, 썸네일을 여기에 끌어다 놓으면 사진이 {1}(으)로 정리됩니다</translation>
    </message>
    <message>
        <source>Click, or drop a thumbnail here, to sort the photo into {0}</source>
        <translation>클릭하거나 썸네일을 여기에 끌어다 놓으면 사진이 {0}(으)로 정리됩니다</translation>
    </message>
    <message>
        <source>Rename {0}</source>
        <translation>{0} 이름 바꾸기</translation>
    </message>
    <message>
        <source>Rename class</source>
        <translation>클래스 이름 바꾸기</translation>
    </message>
    <message>
        <source>New name of {0}:</source>
        <translation>{0}의 새 이름:</translation>
    </message>
</context>
<context>
    <name>SortStripModel</name>
    <message>
        <source>{0}: suggested {1}, {2:.0%} sure</source>
        <translation>{0}: 추천 {1}, 확신도 {2:.0%}</translation>
    </message>
</context>
<context>
    <name>SortTab</name>
    <message>
        <source>Choose a folder of unsorted photos</source>
        <translation>정리할 사진 폴더 선택</translation>
    </message>
    <message>
        <source>Copy the photos</source>
        <translation>사진 복사</translation>
    </message>
    <message>
        <source>Move the photos</source>
        <translation>사진 이동</translation>
    </message>
    <message>
        <source>Copy or move the photos into the sorted folder</source>
        <translation>정리된 폴더로 사진을 복사할지 이동할지</translation>
    </message>
    <message>
        <source>Sorted &amp;into…</source>
        <translation>정리할 곳(&amp;I)…</translation>
    </message>
    <message>
        <source>Choose where the sorted photos go</source>
        <translation>정리된 사진이 들어갈 폴더 선택</translation>
    </message>
    <message>
        <source>Choose a fol&amp;der…</source>
        <translation>폴더 선택(&amp;D)…</translation>
    </message>
    <message>
        <source>Train o&amp;n this folder</source>
        <translation>이 폴더로 학습(&amp;N)</translation>
    </message>
    <message>
        <source>Classes (keys 1-9):</source>
        <translation>클래스 (키 1-9):</translation>
    </message>
    <message>
        <source>Photos to sort</source>
        <translation>정리할 사진</translation>
    </message>
    <message>
        <source>Photo to sort</source>
        <translation>정리할 사진</translation>
    </message>
    <message>
        <source>Files skipped</source>
        <translation>건너뛴 파일</translation>
    </message>
    <message>
        <source>Folder of unsorted photos</source>
        <translation>정리할 사진 폴더</translation>
    </message>
    <message>
        <source>Sorted folder</source>
        <translation>정리된 폴더</translation>
    </message>
    <message>
        <source>Skipped {0}: {1}</source>
        <translation>건너뜀 {0}: {1}</translation>
    </message>
    <message>
        <source>{0} sorted into {1}; Backspace or Ctrl+Z takes it back.</source>
        <translation>{0}(을)를 {1}(으)로 정리했습니다. Backspace나 Ctrl+Z로 되돌릴 수 있습니다.</translation>
    </message>
    <message>
        <source>Copy leaves the unsorted folder as it is and puts a copy of each photo in its class; Move takes the photo out of it. Choose Move when you no longer need the unsorted folder, e.g. to save disk space.</source>
        <translation>&apos;복사&apos;는 정리 전 폴더를 그대로 두고 사진의 사본을 클래스 폴더에 넣습니다. &apos;이동&apos;은 사진을 그 폴더에서 옮깁니다. 정리 전 폴더가 더 필요 없을 때(예: 디스크 공간을 아끼려고) &apos;이동&apos;을 고르세요.</translation>
    </message>
    <message>
        <source>Type a class&apos;s name and press Enter: it becomes a folder in the sorted folder, with the next free key 1-9 to sort photos into it.</source>
        <translation>클래스 이름을 입력하고 Enter를 누르세요. 정리할 폴더 안에 그 이름의 폴더가 생기고, 비어 있는 다음 키(1-9)로 사진을 그 클래스에 넣을 수 있습니다.</translation>
    </message>
    <message>
        <source>Nothing to undo: no folder is being sorted.</source>
        <translation>되돌릴 것이 없습니다: 정리 중인 폴더가 없습니다.</translation>
    </message>
    <message>
        <source>Undone: {0} is back among the photos to sort.</source>
        <translation>되돌렸습니다: {0}(이)가 다시 정리할 사진에 있습니다.</translation>
    </message>
    <message>
        <source>Choose a folder of unsorted photos first.</source>
        <translation>먼저 정리할 사진 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>{0} already has a folder in {1}: rename it there, or add a new class.</source>
        <translation>{0}의 폴더가 이미 {1}에 있습니다: 그곳에서 이름을 바꾸거나 새 클래스를 추가하세요.</translation>
    </message>
    <message>
        <source>No folder chosen yet.</source>
        <translation>아직 선택한 폴더가 없습니다.</translation>
    </message>
    <message>
        <source>Drop a folder of unsorted photos here, or choose one. Its photos (not those in its subfolders) are sorted into one folder per class.</source>
        <translation>정리할 사진 폴더를 여기에 끌어다 놓거나 선택하세요. 그 폴더의 사진(하위 폴더의 사진은 제외)이 클래스마다 한 폴더로 정리됩니다.</translation>
    </message>
    <message>
        <source>{0}: {1} photos to sort</source>
        <translation>{0}: 정리할 사진 {1}장</translation>
    </message>
    <message>
        <source>Sorted into {0}</source>
        <translation>정리할 곳: {0}</translation>
    </message>
    <message>
        <source>All photos are sorted.</source>
        <translation>모든 사진을 정리했습니다.</translation>
    </message>
    <message>
        <source>{0}: suggested {1}, {2:.0%} sure. Enter accepts, 1-9 picks another.</source>
        <translation>{0}: 추천 {1}, 확신도 {2:.0%}. Enter로 받아들이고, 1-9로 다른 클래스를 고릅니다.</translation>
    </message>
    <message>
        <source>Reading the photos for suggestions: {0} of {1}…</source>
        <translation>추천을 위해 사진을 읽는 중: {1}장 중 {0}장…</translation>
    </message>
    <message>
        <source>Name the classes, then press 1-9 to sort the photo shown. Suggestions start once every class has 2 photos.</source>
        <translation>클래스 이름을 정한 뒤 1-9를 눌러 보이는 사진을 정리하세요. 모든 클래스에 사진이 2장씩 있으면 추천이 시작됩니다.</translation>
    </message>
    <message>
        <source>Drop to sort the photos of this folder</source>
        <translation>놓으면 이 폴더의 사진을 분류해 정리합니다</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>DenseNet Studio met a problem it did not expect, so this was not finished. Please report it with the details.</source>
        <translation>DenseNet Studio에 예상하지 못한 문제가 생겨 작업을 끝내지 못했습니다. 자세히 보기의 내용과 함께 알려 주세요.</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>자세히</translation>
    </message>
</context>
<context>
    <name>TrainSettings</name>
    <message>
        <source>&amp;Settings</source>
        <translation>설정 방식(&amp;S)</translation>
    </message>
    <message>
        <source>Train for at &amp;most</source>
        <translation>최대 학습 시간(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Variant</source>
        <translation>변형(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Input size</source>
        <translation>입력 크기(&amp;I)</translation>
    </message>
    <message>
        <source>Start &amp;from</source>
        <translation>시작점(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Epochs</source>
        <translation>에포크(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Batch size</source>
        <translation>배치 크기(&amp;B)</translation>
    </message>
    <message>
        <source>Learning &amp;rate</source>
        <translation>학습률(&amp;R)</translation>
    </message>
    <message>
        <source>A&amp;ugmentation</source>
        <translation>데이터 증강(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Precision</source>
        <translation>정밀도(&amp;P)</translation>
    </message>
    <message>
        <source>Reproducib&amp;le</source>
        <translation>재현 가능(&amp;L)</translation>
    </message>
    <message>
        <source>Memory-efficient mo&amp;de</source>
        <translation>메모리 절약 모드(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;XLA compilation</source>
        <translation>XLA 컴파일(&amp;X)</translation>
    </message>
    <message>
        <source>Save model &amp;to</source>
        <translation>모델 저장 위치(&amp;T)</translation>
    </message>
    <message>
        <source>Automatic or custom settings</source>
        <translation>자동 또는 직접 설정</translation>
    </message>
    <message>
        <source>Time budget in minutes</source>
        <translation>학습 시간 한도(분)</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>변형</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>입력 크기</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>시작점</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>데이터 증강</translation>
    </message>
    <message>
        <source>Reproducible</source>
        <translation>재현 가능</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Memory-efficient mode</source>
        <translation>메모리 절약 모드</translation>
    </message>
    <message>
        <source>XLA compilation</source>
        <translation>XLA 컴파일</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>모델 파일</translation>
    </message>
    <message>
        <source>What the training will do</source>
        <translation>학습 계획</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>자동 (권장)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>직접 설정</translation>
    </message>
    <message>
        <source>From scratch</source>
        <translation>처음부터</translation>
    </message>
    <message>
        <source>ImageNet weights (transfer learning)</source>
        <translation>ImageNet 가중치 (전이 학습)</translation>
    </message>
    <message>
        <source>A weights file…</source>
        <translation>가중치 파일…</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>32-bit (float32)</source>
        <translation>32비트 (float32)</translation>
    </message>
    <message>
        <source>16-bit (bfloat16)</source>
        <translation>16비트 (bfloat16)</translation>
    </message>
    <message>
        <source>16-bit (float16)</source>
        <translation>16비트 (float16)</translation>
    </message>
    <message>
        <source>On</source>
        <translation>켬</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source> min</source>
        <translation>분</translation>
    </message>
    <message>
        <source>flip, rotate, zoom, contrast</source>
        <translation>뒤집기, 회전, 확대, 대비</translation>
    </message>
    <message>
        <source>identical reruns (slower)</source>
        <translation>매번 같은 가중치 (더 느림)</translation>
    </message>
    <message>
        <source>Automatic picks the network, the photo size, the epochs and the rest for your folder, this computer and the time budget, and says why. Choose Custom to try settings of your own.</source>
        <translation>&apos;자동&apos;은 폴더와 이 컴퓨터, 시간 예산에 맞춰 신경망, 사진 크기, 에포크 수 등을 고르고 그 이유를 알려 줍니다. 직접 고른 설정을 시험하려면 &apos;직접 설정&apos;을 고르세요.</translation>
    </message>
    <message>
        <source>The longest the training may take; it stops in time and keeps the best model so far. Automatic chooses a budget for the folder. Give more time for a large folder or a better score, less for a quick try.</source>
        <translation>학습에 쓸 수 있는 가장 긴 시간입니다. 시간 안에 멈추고 그때까지 가장 좋은 모델을 남깁니다. &apos;자동&apos;은 폴더에 맞는 시간을 고릅니다. 폴더가 크거나 더 좋은 점수를 원하면 늘리고, 빨리 시험해 보려면 줄이세요.</translation>
    </message>
    <message>
        <source>Which DenseNet to train. More layers (L) and a larger growth rate (k) can learn more, but train slower and need more photos. Keep the automatic choice unless you are comparing networks.</source>
        <translation>학습할 DenseNet입니다. 층 수(L)가 많고 성장률(k)이 클수록 더 많이 배울 수 있지만, 학습이 느리고 사진도 더 많이 필요합니다. 신경망끼리 비교하는 것이 아니라면 자동으로 고른 것을 그대로 두세요.</translation>
    </message>
    <message>
        <source>The side, in pixels, each photo is scaled to. Larger photos show finer detail but train much slower (twice the side is four times the work). Raise it when the classes differ in small details.</source>
        <translation>사진을 줄이거나 늘릴 한 변의 길이(픽셀)입니다. 크게 하면 작은 부분까지 보이지만 학습이 훨씬 느려집니다(변이 두 배면 일은 네 배). 클래스끼리 작은 부분에서 다를 때 늘리세요.</translation>
    </message>
    <message>
        <source>From scratch learns everything from your photos. ImageNet weights start from a DenseNet that has seen a million everyday photos: small folders then train well and fast. A weights file does the same from an .h5 file you already have, with no download.</source>
        <translation>&apos;처음부터&apos;는 모든 것을 내 사진에서 배웁니다. &apos;ImageNet 가중치&apos;는 일상 사진 백만 장을 본 DenseNet에서 시작하므로 작은 폴더도 빠르고 잘 학습됩니다. &apos;가중치 파일&apos;은 이미 가진 .h5 파일로 같은 일을 하며, 내려받지 않습니다.</translation>
    </message>
    <message>
        <source>How many times the training goes through all your photos. More epochs can learn more but take longer; the best model so far is kept, so too many costs only time.</source>
        <translation>학습이 모든 사진을 몇 번 훑어볼지입니다. 에포크가 많을수록 더 배울 수 있지만 오래 걸립니다. 그때까지 가장 좋은 모델을 남기므로, 너무 많아도 시간만 더 듭니다.</translation>
    </message>
    <message>
        <source>How many photos the network looks at before each learning step. Larger batches are faster per photo but need more memory; make it smaller if the training runs out of memory.</source>
        <translation>한 번 배우기 전에 신경망이 보는 사진 수입니다. 크게 하면 사진 한 장당 빠르지만 메모리가 더 듭니다. 학습 중 메모리가 모자라면 줄이세요.</translation>
    </message>
    <message>
        <source>How big each learning step is. Too high and the loss jumps about or grows; too low and it falls slowly. Halve it when the loss does not settle.</source>
        <translation>한 번에 얼마나 크게 배울지입니다. 너무 크면 손실이 들쭉날쭉하거나 커지고, 너무 작으면 천천히 줄어듭니다. 손실이 자리를 잡지 못하면 절반으로 줄이세요.</translation>
    </message>
    <message>
        <source>Shows each photo slightly changed (flipped, turned, zoomed, other contrast) in every epoch, so the model learns the class rather than the photos. Turn it off only when the way up matters, e.g. for digits or letters.</source>
        <translation>에포크마다 사진을 조금씩 바꿔서(뒤집기, 돌리기, 확대, 대비 바꾸기) 보여 주므로, 모델이 사진 자체가 아니라 클래스를 배웁니다. 숫자나 글자처럼 방향이 중요할 때만 끄세요.</translation>
    </message>
    <message>
        <source>Trains so that the same folder and settings give exactly the same model again: useful to compare two settings fairly. Training is slower, and the planned epochs run even past the time budget.</source>
        <translation>같은 폴더와 설정이면 매번 똑같은 모델이 나오도록 학습합니다. 두 설정을 공정하게 비교할 때 쓸모 있습니다. 학습이 더 느리고, 계획한 에포크는 시간 예산을 넘겨서도 모두 실행됩니다.</translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation>찾아보기(&amp;W)…</translation>
    </message>
    <message>
        <source>Use &amp;automatic settings</source>
        <translation>자동 설정 사용(&amp;A)</translation>
    </message>
    <message>
        <source>2. Settings</source>
        <translation>2. 설정</translation>
    </message>
    <message>
        <source>How many bits each number has while training. 16-bit numbers train faster on CPUs with bfloat16 and on recent graphics cards, and need half the memory; 32-bit numbers are exact and work everywhere. Keep Automatic unless the loss shows as NaN (choose 32-bit) or you compare speeds.</source>
        <translation>학습하는 동안 숫자 하나에 쓰는 비트 수입니다. 16비트는 bfloat16을 지원하는 CPU와 최신 그래픽카드에서 더 빠르고 메모리도 절반만 씁니다. 32비트는 정확하고 어디서나 됩니다. 손실이 NaN으로 나오거나(32비트를 고르세요) 속도를 비교할 때가 아니면 &apos;자동&apos;으로 두세요.</translation>
    </message>
    <message>
        <source>Works out parts of each dense block again during training instead of keeping them in memory: far less memory for a little more time. Automatic turns it on when the photos would not fit in memory; turn it On if a training runs out of memory.</source>
        <translation>학습 중에 각 덴스 블록의 일부를 메모리에 두지 않고 다시 계산합니다. 시간은 조금 더 들지만 메모리는 훨씬 적게 씁니다. &apos;자동&apos;은 메모리에 다 들어가지 않을 때 켭니다. 학습 중 메모리가 모자라면 &apos;켬&apos;으로 하세요.</translation>
    </message>
    <message>
        <source>Compiles the network into code made for this computer before the first epoch (XLA). Training is often faster, but the first epoch starts later. Keep Automatic; turn it Off if the start takes too long or compiling fails.</source>
        <translation>첫 에포크 전에 신경망을 이 컴퓨터에 맞춘 코드로 컴파일합니다(XLA). 학습이 빨라질 때가 많지만 첫 에포크가 늦게 시작합니다. &apos;자동&apos;으로 두고, 시작이 너무 오래 걸리거나 컴파일이 실패하면 &apos;끔&apos;으로 하세요.</translation>
    </message>
    <message>
        <source>Where the trained model is saved, as a .keras file. It is written at every better epoch, so a stopped training keeps its best model, and Resume goes on from it.</source>
        <translation>학습한 모델을 저장할 .keras 파일입니다. 더 나은 에포크마다 새로 쓰므로, 멈춘 학습도 가장 좋은 모델이 남고 &apos;이어서 학습&apos;이 거기서 계속합니다.</translation>
    </message>
    <message>
        <source>Choosing settings for this folder and this computer…</source>
        <translation>이 폴더와 이 컴퓨터에 맞는 설정을 고르는 중…</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>제한 없음</translation>
    </message>
    <message>
        <source>Start from a weights file</source>
        <translation>가중치 파일에서 시작</translation>
    </message>
    <message>
        <source>Keras weights (*.h5)</source>
        <translation>Keras 가중치 (*.h5)</translation>
    </message>
    <message>
        <source>Settings are chosen for your folder once it is checked.</source>
        <translation>폴더 검사가 끝나면 그 폴더에 맞는 설정을 고릅니다.</translation>
    </message>
    <message>
        <source>That is a long training. {0}</source>
        <translation>오래 걸리는 학습입니다. {0}</translation>
    </message>
    <message>
        <source>Automatic: {0} at {1} px from ImageNet weights, then {2} fine-tune epochs; about {3} on this computer.</source>
        <translation>자동: {0}, {1}px, ImageNet 가중치에서 시작해 미세 조정 {2}에포크. 이 컴퓨터에서 약 {3}.</translation>
    </message>
    <message>
        <source>Automatic: {0} at {1} px trained from scratch, about {2} epochs; about {3} on this computer.</source>
        <translation>자동: {0}, {1}px, 처음부터 약 {2}에포크 학습. 이 컴퓨터에서 약 {3}.</translation>
    </message>
    <message>
        <source>Custom settings.</source>
        <translation>직접 설정.</translation>
    </message>
    <message>
        <source>Custom settings: about {0} on this computer.</source>
        <translation>직접 설정: 이 컴퓨터에서 약 {0}.</translation>
    </message>
    <message>
        <source>Save the trained model as</source>
        <translation>학습된 모델 저장</translation>
    </message>
    <message>
        <source>Keras models (*.keras)</source>
        <translation>Keras 모델 (*.keras)</translation>
    </message>
</context>
<context>
    <name>TrainTab</name>
    <message>
        <source>Training progress</source>
        <translation>학습 진행률</translation>
    </message>
    <message>
        <source>Training log</source>
        <translation>학습 기록</translation>
    </message>
    <message>
        <source>&amp;Start training</source>
        <translation>학습 시작(&amp;S)</translation>
    </message>
    <message>
        <source>St&amp;op (keeps the best model)</source>
        <translation>멈춤(&amp;O) (가장 좋은 모델 보존)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>이어서 학습(&amp;R)</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>기록</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>&amp;Details: the exact settings and steps</source>
        <translation>자세히(&amp;D): 정확한 설정과 단계</translation>
    </message>
    <message>
        <source>Show the training&apos;s technical lines (number formats, memory mode, compilation) as the command line&apos;s --verbose prints them.</source>
        <translation>학습의 기술적인 줄(숫자 형식, 메모리 모드, 컴파일)을 명령줄 도구의 자세히 모드처럼 보여 줍니다.</translation>
    </message>
    <message>
        <source>Choose a dataset folder to begin.</source>
        <translation>시작하려면 데이터셋 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>Dataset checked: ready to train.</source>
        <translation>데이터셋 검사 완료: 학습할 준비가 되었습니다.</translation>
    </message>
    <message>
        <source>Download ImageNet weights?</source>
        <translation>ImageNet 가중치를 내려받을까요?</translation>
    </message>
    <message>
        <source>Automatic settings start from a DenseNet-121 trained on ImageNet, which makes small folders train well. Its weights (29 MB) are downloaded once and kept. Download them now?</source>
        <translation>자동 설정은 ImageNet으로 학습된 DenseNet-121에서 시작합니다. 사진이 적은 폴더도 잘 학습됩니다. 가중치(29 MB)는 한 번만 내려받아 보관합니다. 지금 내려받을까요?</translation>
    </message>
    <message>
        <source>Training {0} at {1}x{1} on {2}…</source>
        <translation>{2}에서 {0} 학습 중 ({1}x{1})…</translation>
    </message>
    <message>
        <source>Automatic settings: {0}</source>
        <translation>자동 설정: {0}</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>{0} photo(s) taken out of the folder went to the trash.</source>
        <translation>폴더에서 뺀 사진 {0}장을 휴지통으로 보냈습니다.</translation>
    </message>
    <message>
        <source>Stopping after this batch; the best model so far is kept…</source>
        <translation>이 배치가 끝나면 멈춥니다. 지금까지 가장 좋은 모델은 보존됩니다…</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>Training {0} after {1}: model saved to {2}; loading it for classifying.</source>
        <translation>학습 {0} ({1} 소요): 모델을 {2}에 저장했습니다. 분류용으로 불러오는 중입니다.</translation>
    </message>
    <message>
        <source>Training {0} after {1}: model saved to {2}; the model in use stays.</source>
        <translation>학습 {0} ({1} 소요): 모델을 {2}에 저장했습니다. 지금 쓰는 모델은 그대로입니다.</translation>
    </message>
    <message>
        <source>Use the stopped training&apos;s model?</source>
        <translation>중지된 학습의 모델을 쓸까요?</translation>
    </message>
    <message>
        <source>Training was stopped early. Classify with its best model so far instead of {0}?</source>
        <translation>학습이 일찍 중지되었습니다. {0} 대신 지금까지 가장 좋은 모델로 분류할까요?</translation>
    </message>
    <message>
        <source>Phase: {0}</source>
        <translation>단계: {0}</translation>
    </message>
    <message>
        <source>Replace the model file?</source>
        <translation>모델 파일을 바꿀까요?</translation>
    </message>
    <message>
        <source>{0} already exists. The new training will replace it. Replace it?</source>
        <translation>{0} 파일이 이미 있습니다. 새 학습이 이 파일을 대신합니다. 바꿀까요?</translation>
    </message>
    <message>
        <source>Epoch {0}/{1} · batch {2}/{3} · {4:.0f} images/s · ETA {5}</source>
        <translation>에포크 {0}/{1} · 배치 {2}/{3} · 초당 {4:.0f}장 · 남은 시간 {5}</translation>
    </message>
    <message>
        <source>Epoch {0}: loss {1:.4f}, accuracy {2:.3f}; validation loss {3}, accuracy {4}{5}</source>
        <translation>에포크 {0}: 손실 {1:.4f}, 정확도 {2:.3f}; 검증 손실 {3}, 정확도 {4}{5}</translation>
    </message>
    <message>
        <source> (best so far, saved)</source>
        <translation> (지금까지 최고, 저장됨)</translation>
    </message>
    <message>
        <source> (best so far)</source>
        <translation> (지금까지 최고)</translation>
    </message>
    <message>
        <source>Training stopped before the first epoch ended: no model was saved.</source>
        <translation>첫 에포크가 끝나기 전에 학습이 멈춰 모델이 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>중단됨</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>완료됨</translation>
    </message>
</context>
<context>
    <name>TrainingPlot</name>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>training, each batch</source>
        <translation>훈련, 배치마다</translation>
    </message>
    <message>
        <source>validation, each epoch (photos it does not train on)</source>
        <translation>검증, 에포크마다 (훈련에 쓰지 않는 사진)</translation>
    </message>
    <message>
        <source>Loss plot</source>
        <translation>손실 그래프</translation>
    </message>
    <message>
        <source>Accuracy plot</source>
        <translation>정확도 그래프</translation>
    </message>
</context>
</TS>
