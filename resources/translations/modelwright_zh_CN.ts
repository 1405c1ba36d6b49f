<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AttentionView</name>
    <message>
        <source>&lt;b&gt;Attention&lt;/b&gt;</source>
        <translation>&lt;b&gt;注意力&lt;/b&gt;</translation>
    </message>
    <message>
        <source>The attention layer to show</source>
        <translation>要显示的注意力层</translation>
    </message>
    <message>
        <source>One attention head, or the mean of all heads</source>
        <translation>单个注意力头，或所有头的平均</translation>
    </message>
    <message>
        <source>word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>looks at</source>
        <translation>关注</translation>
    </message>
    <message>
        <source>Each row is one word: the brighter a cell, the more that word drew on the word of its column when the model read the text.</source>
        <translation>每一行是一个词：格子越亮，模型读这段文字时该词就越多地参考了所在列的词。</translation>
    </message>
    <message>
        <source>Layer {n}: {name}</source>
        <translation>第 {n} 层：{name}</translation>
    </message>
    <message>
        <source>Mean of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>Head {n}</source>
        <translation>第 {n} 个头</translation>
    </message>
</context>
<context>
    <name>AutoAnswer</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>note: dialog “{title}” answered “{choice}” without waiting (unattended run): {text}</source>
        <translation>注意：对话框“{title}”未等待即已回答“{choice}”（无人值守运行）：{text}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>BasePage</name>
    <message>
        <source>Pretrained base</source>
        <translation>预训练基础模型</translation>
    </message>
    <message>
        <source>The model whose knowledge of language your model starts from.</source>
        <translation>你的模型将在这个模型的语言知识之上继续学习。</translation>
    </message>
    <message>
        <source>Bundled sentence encoder (all-MiniLM-L6-v2, 22.7 M parameters)</source>
        <translation>内置句子编码器（all-MiniLM-L6-v2，2270 万参数）</translation>
    </message>
    <message>
        <source>A Hugging Face model folder (BERT, RoBERTa, DistilBERT, GPT-2…)</source>
        <translation>Hugging Face 模型文件夹（BERT、RoBERTa、DistilBERT、GPT-2…）</translation>
    </message>
    <message>
        <source>An earlier Modelwright run (continue a fine-tuned model)</source>
        <translation>之前的 Modelwright 运行（继续训练已微调的模型）</translation>
    </message>
    <message>
        <source>Folder of the model or of the run</source>
        <translation>模型或运行所在的文件夹</translation>
    </message>
    <message>
        <source>Choose the model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>Choose a folder.</source>
        <translation>请选择一个文件夹。</translation>
    </message>
    <message>
        <source>This is a model folder, not a run; choose the option above.</source>
        <translation>这是模型文件夹，不是运行记录；请选择上面的选项。</translation>
    </message>
</context>
<context>
    <name>CanvasView</name>
    <message>
        <source>Dropping here replaces the wire from &apos;{node}&apos;.</source>
        <translation>松开即可替换来自“{node}”的连线。</translation>
    </message>
</context>
<context>
    <name>CloseGuard</name>
    <message>
        <source>A training run</source>
        <translation>一个训练运行</translation>
    </message>
    <message>
        <source>A hyper-parameter search</source>
        <translation>一个超参数搜索</translation>
    </message>
    <message>
        <source>An evaluation</source>
        <translation>一次评估</translation>
    </message>
    <message>
        <source>An export</source>
        <translation>一次导出</translation>
    </message>
    <message>
        <source>Work in progress</source>
        <translation>仍有任务在进行</translation>
    </message>
    <message>
        <source>Stop what is still going and close Modelwright?</source>
        <translation>停止仍在进行的任务并关闭 Modelwright？</translation>
    </message>
    <message>
        <source>A stopped training run or search keeps its last checkpoint and can be resumed later.</source>
        <translation>停止的训练或搜索会保留最后的检查点，之后可以继续。</translation>
    </message>
    <message>
        <source>Stop and keep the checkpoint</source>
        <translation>停止并保留检查点</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ColumnPanel</name>
    <message>
        <source>Select a column in the table.</source>
        <translation>请在表格中选择一列。</translation>
    </message>
    <message>
        <source>Feature (model input)</source>
        <translation>特征（模型输入）</translation>
    </message>
    <message>
        <source>Target (to predict)</source>
        <translation>目标（要预测的列）</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>Numeric</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Categorical</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Yes/no</source>
        <translation>是/否</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计信息</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Rows: {n:,}</source>
        <translation>行数：{n:,}</translation>
    </message>
    <message>
        <source>Missing: {n:,} ({pct:.1f} %)</source>
        <translation>缺失：{n:,}（{pct:.1f} %）</translation>
    </message>
    <message>
        <source>Distinct values: {n:,}</source>
        <translation>不同取值：{n:,}</translation>
    </message>
    <message>
        <source>Mean {mean:.4g} · std {std:.4g}</source>
        <translation>均值 {mean:.4g} · 标准差 {std:.4g}</translation>
    </message>
    <message>
        <source>Min {min:.4g} · median {median:.4g} · max {max:.4g}</source>
        <translation>最小 {min:.4g} · 中位数 {median:.4g} · 最大 {max:.4g}</translation>
    </message>
    <message>
        <source>Most common: {top}</source>
        <translation>最常见：{top}</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Class balance</source>
        <translation>类别分布</translation>
    </message>
    <message>
        <source>Most common values</source>
        <translation>最常见的取值</translation>
    </message>
    <message>
        <source>Statistics are not available: {error}</source>
        <translation>无法计算统计信息：{error}</translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <source>Input/Output</source>
        <translation>输入/输出</translation>
    </message>
    <message>
        <source>Core</source>
        <translation>核心</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation>循环</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>输出头</translation>
    </message>
    <message>
        <source>Pretrained</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>二分类</translation>
    </message>
    <message>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>language-model</source>
        <translation>语言模型</translation>
    </message>
    <message>
        <source>PyTorch code</source>
        <translation>PyTorch 代码</translation>
    </message>
    <message>
        <source>A readable model.py (an nn.Module with the preprocessing constants) and model.safetensors.</source>
        <translation>可读的 model.py（一个包含预处理常量的 nn.Module）和 model.safetensors。</translation>
    </message>
    <message>
        <source>TorchScript</source>
        <translation>TorchScript</translation>
    </message>
    <message>
        <source>model.pt: loads with torch.jit.load in any PyTorch program (C++ too), no model code needed.</source>
        <translation>model.pt：可在任何 PyTorch 程序（包括 C++）中用 torch.jit.load 加载，无需模型代码。</translation>
    </message>
    <message>
        <source>ONNX</source>
        <translation>ONNX</translation>
    </message>
    <message>
        <source>model.onnx for onnxruntime, TensorRT, OpenVINO, web and mobile runtimes (checked with onnxruntime).</source>
        <translation>model.onnx，适用于 onnxruntime、TensorRT、OpenVINO 以及网页和移动端运行时（已用 onnxruntime 校验）。</translation>
    </message>
    <message>
        <source>safetensors + architecture</source>
        <translation>safetensors + 网络结构</translation>
    </message>
    <message>
        <source>model.safetensors (weights only, safe to load) and architecture.json (the network as JSON).</source>
        <translation>model.safetensors（仅权重，可安全加载）和 architecture.json（以 JSON 描述的网络）。</translation>
    </message>
    <message>
        <source>Hugging Face folder</source>
        <translation>Hugging Face 文件夹</translation>
    </message>
    <message>
        <source>For fine-tuned Hugging Face models: a folder that transformers loads (from_pretrained).</source>
        <translation>用于微调后的 Hugging Face 模型：一个 transformers 可以加载的文件夹（from_pretrained）。</translation>
    </message>
    <message>
        <source>torchrun training bundle</source>
        <translation>torchrun 训练包</translation>
    </message>
    <message>
        <source>project, data reference, launch.sh and the Modelwright core: train on several GPUs or machines with torchrun (DistributedDataParallel).</source>
        <translation>项目、数据引用、launch.sh 和 Modelwright 核心：用 torchrun 在多个 GPU 或多台机器上训练（DistributedDataParallel）。</translation>
    </message>
    <message>
        <source>LoRA adapter (peft)</source>
        <translation>LoRA 适配器（peft）</translation>
    </message>
    <message>
        <source>For LoRA fine-tuned language models: the adapter alone, loaded on the base with peft.</source>
        <translation>用于 LoRA 微调的语言模型：只有适配器，用 peft 加载到基础模型上。</translation>
    </message>
    <message>
        <source>GGUF (llama.cpp, Ollama)</source>
        <translation>GGUF（llama.cpp、Ollama）</translation>
    </message>
    <message>
        <source>For language models fine-tuned from a Llama-family base: one GGUF file and an Ollama Modelfile.</source>
        <translation>用于从 Llama 系列基础模型微调的语言模型：一个 GGUF 文件和一个 Ollama Modelfile。</translation>
    </message>
    <message>
        <source>The classic first Keras network: 2 inputs -&gt; Dense(3, relu) -&gt; Dense(1, sigmoid).</source>
        <translation>经典的 Keras 入门网络：2 个输入 -&gt; Dense(3, relu) -&gt; Dense(1, sigmoid)。</translation>
    </message>
    <message>
        <source>Tables: two hidden Dense layers with ReLU and Dropout, then classes (values: one hidden layer).</source>
        <translation>表格：两个带 ReLU 和 Dropout 的隐藏 Dense 层，然后输出类别（数值：一个隐藏层）。</translation>
    </message>
    <message>
        <source>Images: Conv-BatchNorm-ReLU-Pool blocks, global average pooling, then classes.</source>
        <translation>图片：Conv-BatchNorm-ReLU-Pool 模块，全局平均池化，然后输出类别。</translation>
    </message>
    <message>
        <source>Labelled text: token Embedding -&gt; LSTM (last state) -&gt; classes.</source>
        <translation>带标签的文本：词元 Embedding -&gt; LSTM（最后状态）-&gt; 类别。</translation>
    </message>
    <message>
        <source>Labelled text: Embedding + positions -&gt; 2 Transformer encoder layers -&gt; mean pooling -&gt; classes.</source>
        <translation>带标签的文本：Embedding + 位置编码 -&gt; 2 个 Transformer 编码器层 -&gt; 平均池化 -&gt; 类别。</translation>
    </message>
    <message>
        <source>Text generation: a small GPT (4 causal decoder blocks, 128 wide) with a tied LM head.</source>
        <translation>文本生成：小型 GPT（4 个因果解码器块，宽度 128），语言模型头与嵌入共享权重。</translation>
    </message>
    <message>
        <source>Labelled text on a pretrained encoder (bundled MiniLM or a Hugging Face folder): mean pooling -&gt; classes or values.</source>
        <translation>在预训练编码器（内置 MiniLM 或 Hugging Face 文件夹）上处理带标签的文本：平均池化 -&gt; 类别或数值。</translation>
    </message>
    <message>
        <source>Text generation: continue a pretrained GPT-style model (a Hugging Face folder) on your text.</source>
        <translation>文本生成：在你的文本上继续训练 GPT 类预训练模型（Hugging Face 文件夹）。</translation>
    </message>
    <message>
        <source>Chat: teach a pretrained causal language model (Llama, Qwen2 ... folder) to answer, from Alpaca, ShareGPT or messages data, with LoRA.</source>
        <translation>对话：教预训练因果语言模型（Llama、Qwen2 等文件夹）回答问题，数据为 Alpaca、ShareGPT 或 messages 格式，使用 LoRA。</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>running</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>started</source>
        <translation>已开始</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Dense (Linear)</source>
        <translation>全连接 (Linear)</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>随机丢弃 (Dropout)</translation>
    </message>
    <message>
        <source>Flatten</source>
        <translation>展平</translation>
    </message>
    <message>
        <source>Reshape</source>
        <translation>变形</translation>
    </message>
    <message>
        <source>Conv1d</source>
        <translation>Conv1d</translation>
    </message>
    <message>
        <source>Conv2d</source>
        <translation>Conv2d</translation>
    </message>
    <message>
        <source>ConvTranspose2d</source>
        <translation>ConvTranspose2d</translation>
    </message>
    <message>
        <source>MaxPool1d</source>
        <translation>MaxPool1d</translation>
    </message>
    <message>
        <source>MaxPool2d</source>
        <translation>MaxPool2d</translation>
    </message>
    <message>
        <source>AvgPool2d</source>
        <translation>AvgPool2d</translation>
    </message>
    <message>
        <source>AdaptiveAvgPool2d</source>
        <translation>AdaptiveAvgPool2d</translation>
    </message>
    <message>
        <source>GlobalAvgPool</source>
        <translation>全局平均池化</translation>
    </message>
    <message>
        <source>BatchNorm1d</source>
        <translation>BatchNorm1d</translation>
    </message>
    <message>
        <source>BatchNorm2d</source>
        <translation>BatchNorm2d</translation>
    </message>
    <message>
        <source>LayerNorm</source>
        <translation>LayerNorm</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>SiLU</source>
        <translation>SiLU</translation>
    </message>
    <message>
        <source>Tanh</source>
        <translation>Tanh</translation>
    </message>
    <message>
        <source>Sigmoid</source>
        <translation>Sigmoid</translation>
    </message>
    <message>
        <source>LeakyReLU</source>
        <translation>LeakyReLU</translation>
    </message>
    <message>
        <source>GELU</source>
        <translation>GELU</translation>
    </message>
    <message>
        <source>Softmax</source>
        <translation>Softmax</translation>
    </message>
    <message>
        <source>Positional embedding (learned)</source>
        <translation>位置嵌入（可学习）</translation>
    </message>
    <message>
        <source>Positional encoding (sinusoidal)</source>
        <translation>位置编码（正弦）</translation>
    </message>
    <message>
        <source>LSTM</source>
        <translation>LSTM</translation>
    </message>
    <message>
        <source>GRU</source>
        <translation>GRU</translation>
    </message>
    <message>
        <source>Multi-head self-attention</source>
        <translation>多头自注意力</translation>
    </message>
    <message>
        <source>Transformer encoder layer</source>
        <translation>Transformer 编码器层</translation>
    </message>
    <message>
        <source>GPT decoder block</source>
        <translation>GPT 解码器块</translation>
    </message>
    <message>
        <source>Sequence pooling</source>
        <translation>序列池化</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>相加</translation>
    </message>
    <message>
        <source>Multiply</source>
        <translation>相乘</translation>
    </message>
    <message>
        <source>Concatenate</source>
        <translation>拼接</translation>
    </message>
    <message>
        <source>Classification head</source>
        <translation>分类头</translation>
    </message>
    <message>
        <source>LM head</source>
        <translation>语言模型头</translation>
    </message>
    <message>
        <source>Pretrained text encoder</source>
        <translation>预训练文本编码器</translation>
    </message>
    <message>
        <source>Pretrained causal LM</source>
        <translation>预训练因果语言模型</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Vocab size</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Out features</source>
        <translation>输出特征数</translation>
    </message>
    <message>
        <source>Bias</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>P</source>
        <translation>丢弃概率</translation>
    </message>
    <message>
        <source>Out channels</source>
        <translation>输出通道数</translation>
    </message>
    <message>
        <source>Kernel size</source>
        <translation>卷积核大小</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>步幅</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>膨胀</translation>
    </message>
    <message>
        <source>Output padding</source>
        <translation>输出填充</translation>
    </message>
    <message>
        <source>Output size</source>
        <translation>输出大小</translation>
    </message>
    <message>
        <source>Eps</source>
        <translation>epsilon</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Affine</source>
        <translation>仿射</translation>
    </message>
    <message>
        <source>Negative slope</source>
        <translation>负斜率</translation>
    </message>
    <message>
        <source>Approximate</source>
        <translation>近似</translation>
    </message>
    <message>
        <source>Dim</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Num embeddings</source>
        <translation>嵌入数量</translation>
    </message>
    <message>
        <source>Embedding dim</source>
        <translation>嵌入维度</translation>
    </message>
    <message>
        <source>Max len</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <source>Num layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Bidirectional</source>
        <translation>双向</translation>
    </message>
    <message>
        <source>Return sequences</source>
        <translation>返回序列</translation>
    </message>
    <message>
        <source>Num heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>Causal</source>
        <translation>因果</translation>
    </message>
    <message>
        <source>Nhead</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>Dim feedforward</source>
        <translation>前馈维度</translation>
    </message>
    <message>
        <source>Norm first</source>
        <translation>先归一化</translation>
    </message>
    <message>
        <source>N head</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>Mlp ratio</source>
        <translation>MLP 倍率</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Num classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>Tie to</source>
        <translation>共享权重于</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Freeze blocks</source>
        <translation>冻结块数</translation>
    </message>
    <message>
        <source>Lr scale</source>
        <translation>学习率倍数</translation>
    </message>
    <message>
        <source>Lr decay</source>
        <translation>学习率衰减</translation>
    </message>
    <message>
        <source>Unfreeze every</source>
        <translation>解冻间隔</translation>
    </message>
    <message>
        <source>Lora rank</source>
        <translation>LoRA 秩</translation>
    </message>
    <message>
        <source>Lora alpha</source>
        <translation>LoRA alpha</translation>
    </message>
    <message>
        <source>Lora dropout</source>
        <translation>LoRA 丢弃率</translation>
    </message>
    <message>
        <source>Target modules</source>
        <translation>目标模块</translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation>梯度检查点</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Something went wrong</source>
        <extracomment>Tests replace this to collect the reports instead of showing a modal dialog.</extracomment>
        <translation>出现问题</translation>
    </message>
    <message>
        <source>Modelwright ran into an unexpected problem. Your project is still open and nothing was saved over it. The details below were also written to:
{log}</source>
        <translation>Modelwright 遇到了意外问题。你的项目仍然打开着，没有任何内容被覆盖保存。以下详细信息也已写入：
{log}</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
</context>
<context>
    <name>DataFrameModel</name>
    <message>
        <source>Relabelled (was “{old}”)</source>
        <translation>已重新标注（原为“{old}”）</translation>
    </message>
    <message>
        <source>Missing value</source>
        <translation>缺失值</translation>
    </message>
    <message>
        <source>Right-click to change the role or type of “{name}”</source>
        <translation>右键单击可更改“{name}”的角色或类型</translation>
    </message>
    <message>
        <source>feature</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>ignored</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>numeric</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>categorical</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>boolean</source>
        <translation>布尔</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>Task and data</source>
        <translation>任务与数据</translation>
    </message>
    <message>
        <source>Classify or score labelled text</source>
        <translation>对带标签的文本进行分类或打分</translation>
    </message>
    <message>
        <source>Continue a language model on a text file</source>
        <translation>在文本文件上继续训练语言模型</translation>
    </message>
    <message>
        <source>A CSV/Excel table, or a .txt file for language modelling</source>
        <translation>CSV/Excel 表格，或用于语言建模的 .txt 文件</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Text column</source>
        <translation>文本列</translation>
    </message>
    <message>
        <source>Label column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>Choose the data</source>
        <translation>选择数据</translation>
    </message>
    <message>
        <source>Data (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)</source>
        <translation>数据文件 (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading the data…</source>
        <translation>正在读取数据…</translation>
    </message>
    <message>
        <source>A plain text file: the model learns to continue it.</source>
        <translation>纯文本文件：模型学习续写其中的文字。</translation>
    </message>
    <message>
        <source>{n} columns found.</source>
        <translation>找到 {n} 列。</translation>
    </message>
</context>
<context>
    <name>DataView</name>
    <message>
        <source>Import Data…</source>
        <translation>导入数据…</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Preparation and split</source>
        <translation>预处理与划分</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Bring in your data&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;导入你的数据&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>A table (CSV, TSV, Excel, Parquet, JSON Lines) with one row per example, a folder with one sub-folder of images per class, or a text file.
Drop it on this window, or choose it:</source>
        <translation>每行一个样本的表格（CSV、TSV、Excel、Parquet、JSON Lines），每个类别一个图片子文件夹的文件夹，或一个文本文件。
把它拖到本窗口，或点击选择：</translation>
    </message>
    <message>
        <source>Choose a File…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Choose an Image Folder…</source>
        <translation>选择图片文件夹…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Import data</source>
        <translation>导入数据</translation>
    </message>
    <message>
        <source>Data files (*.csv *.tsv *.txt *.xlsx *.xlsm *.parquet *.pq *.jsonl *.ndjson *.json);;All files (*)</source>
        <translation>数据文件 (*.csv *.tsv *.txt *.xlsx *.xlsm *.parquet *.pq *.jsonl *.ndjson *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import an image folder</source>
        <translation>导入图片文件夹</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Set “{name}” as {role}</source>
        <translation>将“{name}”设为{role}</translation>
    </message>
    <message>
        <source>Set “{name}” type to {type}</source>
        <translation>将“{name}”的类型设为{type}</translation>
    </message>
    <message>
        <source>Relabel row {row} as “{label}”</source>
        <translation>将第 {row} 行重新标注为“{label}”</translation>
    </message>
    <message>
        <source>Relabel {n} rows as “{label}”</source>
        <translation>将 {n} 行重新标注为“{label}”</translation>
    </message>
    <message>
        <source>Restore original labels</source>
        <translation>恢复原始标签</translation>
    </message>
    <message>
        <source>There is no labelled table to export: import a table with a target column first.</source>
        <translation>没有可导出的带标签表格：请先导入一个含目标列的表格。</translation>
    </message>
    <message>
        <source>Export labelled data</source>
        <translation>导出标注数据</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Could not export the labelled data: {error}</source>
        <translation>无法导出标注数据：{error}</translation>
    </message>
    <message>
        <source>Labelled data written to {path}</source>
        <translation>标注数据已写入 {path}</translation>
    </message>
    <message>
        <source>No data yet.</source>
        <translation>还没有数据。</translation>
    </message>
    <message>
        <source>The data could not be read because of an unexpected error; the details were logged.</source>
        <translation>由于意外错误，无法读取数据；详细信息已写入日志。</translation>
    </message>
    <message>
        <source>Import cancelled. The project was not changed.</source>
        <translation>已取消导入，项目未被更改。</translation>
    </message>
    <message>
        <source>Import {name}</source>
        <translation>导入 {name}</translation>
    </message>
    <message>
        <source>Imported {name}</source>
        <translation>已导入 {name}</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <source>The project&apos;s data cannot be shown: {error}</source>
        <translation>无法显示项目的数据：{error}</translation>
    </message>
    <message>
        <source>This project uses generated data ({name}); there is no file to show.</source>
        <translation>此项目使用生成的数据（{name}），没有可显示的文件。</translation>
    </message>
    <message>
        <source>Split {train:.0%} / {val:.0%} / {test:.0%} (train / validation / test), seed {seed}.</source>
        <translation>划分 {train:.0%} / {val:.0%} / {test:.0%}（训练集 / 验证集 / 测试集），随机种子 {seed}。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{used:,}&lt;/b&gt; of {total:,} rows used: &lt;b&gt;{train:,}&lt;/b&gt; train · &lt;b&gt;{val:,}&lt;/b&gt; validation · &lt;b&gt;{test:,}&lt;/b&gt; test</source>
        <translation>共 {total:,} 行，使用 &lt;b&gt;{used:,}&lt;/b&gt; 行：训练集 &lt;b&gt;{train:,}&lt;/b&gt; · 验证集 &lt;b&gt;{val:,}&lt;/b&gt; · 测试集 &lt;b&gt;{test:,}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Task: {task}</source>
        <translation>任务：{task}</translation>
    </message>
    <message>
        <source>Classes in train: {classes}</source>
        <translation>训练集中的类别：{classes}</translation>
    </message>
    <message>
        <source>Missing values to fill ({how}): {cols}</source>
        <translation>待填充的缺失值（{how}）：{cols}</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Numeric</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Categorical</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Yes/no</source>
        <translation>是/否</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Relabel Selected Rows</source>
        <translation>重新标注所选行</translation>
    </message>
    <message>
        <source>New Class…</source>
        <translation>新建类别…</translation>
    </message>
    <message>
        <source>Restore Original Labels</source>
        <translation>恢复原始标签</translation>
    </message>
    <message>
        <source>New class</source>
        <translation>新建类别</translation>
    </message>
    <message>
        <source>Name of the new class:</source>
        <translation>新类别的名称：</translation>
    </message>
    <message>
        <source>feature</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>ignored</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>Generated data: {name}, {n} samples</source>
        <translation>生成的数据：{name}，{n} 个样本</translation>
    </message>
</context>
<context>
    <name>DesignerView</name>
    <message>
        <source>Templates…</source>
        <translation>模板…</translation>
    </message>
    <message>
        <source>Start the network from a ready-made template sized to your data</source>
        <translation>从按你的数据调整好尺寸的现成模板开始搭建网络</translation>
    </message>
    <message>
        <source>Arrange</source>
        <translation>自动排列</translation>
    </message>
    <message>
        <source>Lay the network out top to bottom</source>
        <translation>将网络从上到下排列</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Zoom to show the whole network</source>
        <translation>缩放以显示整个网络</translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected layers and connections</source>
        <translation>删除所选的层和连接</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Cut</source>
        <translation>剪切</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>创建副本</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Expand Block</source>
        <translation>展开模块</translation>
    </message>
    <message>
        <source>Write the selected block out as the layers it is made of</source>
        <translation>把所选模块展开为组成它的各层</translation>
    </message>
    <message>
        <source>Collapse into Block</source>
        <translation>折叠为模块</translation>
    </message>
    <message>
        <source>Turn the selected layers back into one block node</source>
        <translation>把所选的层重新合并为一个模块节点</translation>
    </message>
    <message>
        <source>Insert Residual Block</source>
        <translation>插入残差块</translation>
    </message>
    <message>
        <source>Add two layers with a skip connection after the selected layer</source>
        <translation>在所选层之后添加两个带跳跃连接的层</translation>
    </message>
    <message>
        <source>Snap to Grid</source>
        <translation>对齐网格</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Show a map of the whole network in the canvas corner</source>
        <translation>在画布角落显示整个网络的缩略图</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>模块</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layers&lt;/b&gt;</source>
        <translation>&lt;b&gt;层&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Drag a layer onto the canvas (onto a layer to attach it below), or double-click it to add it below the selection. Drag from a layer&apos;s bottom port to another&apos;s top port to connect them.</source>
        <translation>把层拖到画布上（拖到某一层上即可接在它下方），或双击将其添加到所选层下方。从一个层底部的端口拖到另一个层顶部的端口即可连接它们。</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Add {layer}</source>
        <translation>添加 {layer}</translation>
    </message>
    <message>
        <source>There is no layer &apos;{node}&apos; in the network.</source>
        <translation>网络中没有名为“{node}”的层。</translation>
    </message>
    <message>
        <source>Connect {a} → {b} instead of {c}</source>
        <translation>连接 {a} → {b}（替换 {c}）</translation>
    </message>
    <message>
        <source>Connect {a} → {b}</source>
        <translation>连接 {a} → {b}</translation>
    </message>
    <message>
        <source>Connected {a} → {b}, replacing the wire from {c}.</source>
        <translation>已连接 {a} → {b}，替换了来自 {c} 的连线。</translation>
    </message>
    <message>
        <source>Connected {a} → {b}.</source>
        <translation>已连接 {a} → {b}。</translation>
    </message>
    <message>
        <source>Disconnect {a} → {b}</source>
        <translation>断开 {a} → {b}</translation>
    </message>
    <message>
        <source>Change {name} of {node}</source>
        <translation>更改 {node} 的 {name}</translation>
    </message>
    <message>
        <source>Move {node}</source>
        <translation>移动 {node}</translation>
    </message>
    <message>
        <source>Move {n} layers</source>
        <translation>移动 {n} 个层</translation>
    </message>
    <message>
        <source>{n} items</source>
        <translation>{n} 项</translation>
    </message>
    <message>
        <source>Delete {what}</source>
        <translation>删除 {what}</translation>
    </message>
    <message>
        <source>Copied {n} layers.</source>
        <translation>已复制 {n} 个层。</translation>
    </message>
    <message>
        <source>The clipboard holds no layers copied from the designer.</source>
        <translation>剪贴板中没有从设计器复制的层。</translation>
    </message>
    <message>
        <source>Paste {n} layers</source>
        <translation>粘贴 {n} 个层</translation>
    </message>
    <message>
        <source>Arrange layers</source>
        <translation>排列层</translation>
    </message>
    <message>
        <source>Select one block (a GPT decoder block or a Transformer encoder layer) to expand it.</source>
        <translation>请选择一个模块（GPT 解码器块或 Transformer 编码器层）来展开。</translation>
    </message>
    <message>
        <source>Expand {node}</source>
        <translation>展开 {node}</translation>
    </message>
    <message>
        <source>Collapse into block</source>
        <translation>折叠为模块</translation>
    </message>
    <message>
        <source>Insert residual block</source>
        <translation>插入残差块</translation>
    </message>
    <message>
        <source>Use template {name}</source>
        <translation>使用模板 {name}</translation>
    </message>
    <message>
        <source>Reading the project&apos;s data to size the templates…</source>
        <translation>正在读取项目数据以确定模板尺寸…</translation>
    </message>
    <message>
        <source>The data could not be prepared ({error}); sizes come from the current Input layer.</source>
        <translation>无法准备数据（{error}）；尺寸取自当前的输入层。</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
</context>
<context>
    <name>DiagnosisPanel</name>
    <message>
        <source>&lt;b&gt;Diagnosis&lt;/b&gt;</source>
        <translation>&lt;b&gt;诊断&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Nothing unusual in the learning curves so far.</source>
        <translation>目前学习曲线没有异常。</translation>
    </message>
    <message>
        <source> (from epoch {epoch:g})</source>
        <translation>（从第 {epoch:g} 轮起）</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to “{name}” before closing it?</source>
        <translation>关闭前是否保存对“{name}”的更改？</translation>
    </message>
    <message>
        <source>Your changes are lost if you don&apos;t save them.</source>
        <translation>如果不保存，你的更改将会丢失。</translation>
    </message>
</context>
<context>
    <name>EvaluateView</name>
    <message>
        <source>{metric} of the positive class &apos;{label}&apos;</source>
        <translation>正类“{label}”的 {metric}</translation>
    </message>
    <message>
        <source>{metric} averaged over the classes (each class counts the same)</source>
        <translation>各类别 {metric} 的平均值（每个类别权重相同）</translation>
    </message>
    <message>
        <source>Evaluate, the playground and exports use the run&apos;s best checkpoint (best validation score); main.py evaluate --weights final uses the final weights.</source>
        <translation>评估、试用和导出使用运行的最佳检查点（验证分数最好的一次）；main.py evaluate --weights final 使用最终权重。</translation>
    </message>
    <message>
        <source>Weights: final</source>
        <translation>权重：最终</translation>
    </message>
    <message>
        <source>Weights: final (epoch {epoch})</source>
        <translation>权重：最终（第 {epoch} 轮）</translation>
    </message>
    <message>
        <source>Weights: best checkpoint</source>
        <translation>权重：最佳检查点</translation>
    </message>
    <message>
        <source>Weights: best checkpoint (epoch {epoch})</source>
        <translation>权重：最佳检查点（第 {epoch} 轮）</translation>
    </message>
    <message>
        <source>the run was stopped before the end; these are its best weights so far</source>
        <translation>该运行在结束前被停止；这是它到目前为止的最佳权重</translation>
    </message>
    <message>
        <source>Test split (validation if none)</source>
        <translation>测试集（没有时用验证集）</translation>
    </message>
    <message>
        <source>A labelled file…</source>
        <translation>带标签的文件…</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>&lt;b&gt;Run&lt;/b&gt;</source>
        <translation>&lt;b&gt;运行&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Rows: true class · columns: predicted class. Click a cell to list its samples.</source>
        <translation>行：真实类别 · 列：预测类别。单击单元格可列出其中的样本。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Confusion matrix&lt;/b&gt; (rows: true, columns: predicted)</source>
        <translation>&lt;b&gt;混淆矩阵&lt;/b&gt;（行：真实，列：预测）</translation>
    </message>
    <message>
        <source>Predicted vs actual</source>
        <translation>预测值与实际值</translation>
    </message>
    <message>
        <source>actual</source>
        <translation>实际值</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>Residuals (predicted − actual)</source>
        <translation>残差（预测值 − 实际值）</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>试用</translation>
    </message>
    <message>
        <source>No trained runs yet: train the project in the Train view first.</source>
        <translation>还没有训练好的运行：请先在“训练”视图中训练项目。</translation>
    </message>
    <message>
        <source>Labelled data to evaluate on</source>
        <translation>用于评估的带标签数据</translation>
    </message>
    <message>
        <source>Data files (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)</source>
        <translation>数据文件 (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Evaluating {run}…</source>
        <translation>正在评估 {run}…</translation>
    </message>
    <message>
        <source>Evaluation failed: {error}</source>
        <translation>评估失败：{error}</translation>
    </message>
    <message>
        <source>{run} on {data} ({n} samples)</source>
        <translation>{run}，数据：{data}（{n} 个样本）</translation>
    </message>
    <message>
        <source>Click a cell of the confusion matrix to see its samples.</source>
        <translation>单击混淆矩阵中的单元格可查看其中的样本。</translation>
    </message>
    <message>
        <source>true {t}, predicted {p}: {n} ({share:.0%} of {t})</source>
        <translation>真实 {t}，预测 {p}：{n}（占 {t} 的 {share:.0%}）</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>misclassified</source>
        <translation>分错</translation>
    </message>
    <message>
        <source>{n} {kind}: true {t}, predicted {p}</source>
        <translation>{n} 个{kind}：真实 {t}，预测 {p}</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
</context>
<context>
    <name>Examples</name>
    <message>
        <source>Iris flowers (table, MLP)</source>
        <translation>鸢尾花（表格，MLP）</translation>
    </message>
    <message>
        <source>150 flowers, 4 measurements, 3 species: classification of a table.</source>
        <translation>150 朵花，4 项测量值，3 个品种：表格分类。</translation>
    </message>
    <message>
        <source>Keras first network (generated data)</source>
        <translation>Keras 入门网络（生成的数据）</translation>
    </message>
    <message>
        <source>The classic 2-3-1 network on 1,000 generated points; no file needed.</source>
        <translation>经典的 2-3-1 网络，使用 1,000 个生成的数据点，无需数据文件。</translation>
    </message>
    <message>
        <source>Shapes (images, CNN)</source>
        <translation>形状（图片，CNN）</translation>
    </message>
    <message>
        <source>120 small pictures of circles, squares and triangles.</source>
        <translation>120 张圆形、正方形和三角形的小图片。</translation>
    </message>
    <message>
        <source>Product reviews (text, LSTM)</source>
        <translation>商品评论（文本，LSTM）</translation>
    </message>
    <message>
        <source>300 short reviews, positive or negative.</source>
        <translation>300 条简短评论，正面或负面。</translation>
    </message>
    <message>
        <source>Product reviews (text, Transformer)</source>
        <translation>商品评论（文本，Transformer）</translation>
    </message>
    <message>
        <source>The same reviews with a small Transformer encoder.</source>
        <translation>同样的评论，使用小型 Transformer 编码器。</translation>
    </message>
    <message>
        <source>Product reviews (fine-tune MiniLM)</source>
        <translation>商品评论（微调 MiniLM）</translation>
    </message>
    <message>
        <source>The bundled pretrained MiniLM sentence encoder fine-tuned on the reviews.</source>
        <translation>在这些评论上微调内置的预训练 MiniLM 句子编码器。</translation>
    </message>
    <message>
        <source>Python docs GPT (text generation)</source>
        <translation>Python 文档 GPT（文本生成）</translation>
    </message>
    <message>
        <source>A small GPT trained from scratch on Python&apos;s help pages.</source>
        <translation>在 Python 帮助文档上从零训练的小型 GPT。</translation>
    </message>
</context>
<context>
    <name>ExperimentsView</name>
    <message>
        <source>F1 of the positive class (binary tasks)</source>
        <translation>正类的 F1（二分类任务）</translation>
    </message>
    <message>
        <source>F1 averaged over the classes (each class counts the same)</source>
        <translation>各类别 F1 的平均值（每个类别权重相同）</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>From / choices</source>
        <translation>起始值 / 可选值</translation>
    </message>
    <message>
        <source>To</source>
        <translation>结束值</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>对数</translation>
    </message>
    <message>
        <source>A training setting or a layer parameter of the network</source>
        <translation>训练设置或网络中某层的参数</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>TPE (learns from earlier trials)</source>
        <translation>TPE（从之前的试验中学习）</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Grid (every combination)</source>
        <translation>网格（所有组合）</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>as in the project</source>
        <translation>与项目相同</translation>
    </message>
    <message>
        <source>Stop hopeless trials early</source>
        <translation>提前停止无望的试验</translation>
    </message>
    <message>
        <source>Optimise</source>
        <translation>优化目标</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>试验次数</translation>
    </message>
    <message>
        <source>Time budget (minutes)</source>
        <translation>时间预算（分钟）</translation>
    </message>
    <message>
        <source>Epochs per trial</source>
        <translation>每次试验的轮次</translation>
    </message>
    <message>
        <source>Start Search</source>
        <translation>开始搜索</translation>
    </message>
    <message>
        <source>Train the saved project once per trial, each in runs/&lt;search&gt;/trial-NNN</source>
        <translation>每次试验训练一次已保存的项目，结果分别保存在 runs/&lt;search&gt;/trial-NNN 中</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after this batch; starting the same search again resumes it</source>
        <translation>在当前批次后停止；再次开始同一搜索即可继续</translation>
    </message>
    <message>
        <source>Open Search…</source>
        <translation>打开搜索…</translation>
    </message>
    <message>
        <source>Choose settings to vary, then start a search.</source>
        <translation>选择要变化的设置，然后开始搜索。</translation>
    </message>
    <message>
        <source>What to vary</source>
        <translation>要变化的设置</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Promote Best Trial to the Project</source>
        <translation>将最佳试验应用到项目</translation>
    </message>
    <message>
        <source>Copy the best trial&apos;s settings into the project (Edit ▸ Undo reverts it)</source>
        <translation>把最佳试验的设置复制到项目中（可用“编辑 ▸ 撤销”还原）</translation>
    </message>
    <message>
        <source>Promote Selected</source>
        <translation>应用所选试验</translation>
    </message>
    <message>
        <source>Importance</source>
        <translation>重要性</translation>
    </message>
    <message>
        <source>Which settings mattered (parameter importance)</source>
        <translation>哪些设置影响最大（参数重要性）</translation>
    </message>
    <message>
        <source>Save the project first</source>
        <translation>请先保存项目</translation>
    </message>
    <message>
        <source>A search trains the project from its file: save the project, then start again.</source>
        <translation>搜索从项目文件读取项目进行训练：请先保存项目，然后重新开始。</translation>
    </message>
    <message>
        <source>Cannot start the search</source>
        <translation>无法开始搜索</translation>
    </message>
    <message>
        <source>Searching… (results in {folder})</source>
        <translation>正在搜索…（结果保存在 {folder}）</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>将在当前批次后停止…</translation>
    </message>
    <message>
        <source>Trial</source>
        <translation>试验</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Trial {n} is training…</source>
        <translation>试验 {n} 正在训练…</translation>
    </message>
    <message>
        <source>Search finished.</source>
        <translation>搜索完成。</translation>
    </message>
    <message>
        <source>Search stopped; start it again with the same settings to resume (Open Search… shows it).</source>
        <translation>搜索已停止；用相同设置再次开始即可继续（“打开搜索…”可查看它）。</translation>
    </message>
    <message>
        <source>Search failed: {error}</source>
        <translation>搜索失败：{error}</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Open a search folder</source>
        <translation>打开搜索文件夹</translation>
    </message>
    <message>
        <source>Cannot open the search</source>
        <translation>无法打开该搜索</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>已剪枝</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Best: trial {n}, {metric} = {value}</source>
        <translation>最佳：试验 {n}，{metric} = {value}</translation>
    </message>
    <message>
        <source>Promote trial {n}</source>
        <translation>应用试验 {n}</translation>
    </message>
    <message>
        <source>Trial {n}&apos;s settings are now the project&apos;s (Edit ▸ Undo reverts it).</source>
        <translation>试验 {n} 的设置已应用到项目（可用“编辑 ▸ 撤销”还原）。</translation>
    </message>
</context>
<context>
    <name>ExplanationPanel</name>
    <message>
        <source>&lt;b&gt;Why this answer?&lt;/b&gt;</source>
        <translation>&lt;b&gt;为什么是这个结果？&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Grad-CAM (where the network looked)</source>
        <translation>Grad-CAM（网络关注的区域）</translation>
    </message>
    <message>
        <source>Integrated gradients (pixel by pixel)</source>
        <translation>积分梯度（逐像素）</translation>
    </message>
    <message>
        <source>Saliency (SmoothGrad)</source>
        <translation>显著性图（SmoothGrad）</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Contribution</source>
        <translation>贡献</translation>
    </message>
    <message>
        <source>Feature Importance</source>
        <translation>特征重要性</translation>
    </message>
    <message>
        <source>How much worse the model gets when each column&apos;s values are shuffled (on the test or validation data)</source>
        <translation>打乱每一列的取值后模型会变差多少（在测试集或验证集上）</translation>
    </message>
    <message>
        <source>Explaining…</source>
        <translation>正在解释…</translation>
    </message>
    <message>
        <source>Cannot explain: {error}</source>
        <translation>无法解释：{error}</translation>
    </message>
    <message>
        <source>Bright areas drove the answer “{label}” most.</source>
        <translation>明亮区域对结果“{label}”的影响最大。</translation>
    </message>
    <message>
        <source>Loss increase when each column is shuffled: the higher, the more the model relies on it.</source>
        <translation>打乱每一列后损失的增加量：越高，说明模型越依赖该列。</translation>
    </message>
    <message>
        <source>Positive numbers pushed the answer towards “{label}”, negative ones away from it.</source>
        <translation>正数把结果推向“{label}”，负数则使其远离。</translation>
    </message>
</context>
<context>
    <name>ExportView</name>
    <message>
        <source>&lt;b&gt;Export&lt;/b&gt; — save a trained run as PyTorch code, TorchScript, ONNX or safetensors. Every export is loaded back and checked against the trained model.</source>
        <translation>&lt;b&gt;导出&lt;/b&gt; — 把训练好的运行保存为 PyTorch 代码、TorchScript、ONNX 或 safetensors。每次导出都会重新加载，并与训练好的模型进行比对。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>{first}, … ({count} in all)</source>
        <translation>{first}，…（共 {count} 项）</translation>
    </message>
    <message>
        <source>Replace Export</source>
        <translation>替换导出</translation>
    </message>
    <message>
        <source>The folder “{folder}” already holds an export. Replace it? Its contents are deleted: {files}</source>
        <translation>文件夹“{folder}”中已有一个导出。要替换它吗？其中的内容将被删除：{files}</translation>
    </message>
    <message>
        <source>Export refused; nothing was written.</source>
        <translation>已拒绝导出，未写入任何文件。</translation>
    </message>
    <message>
        <source>Export Refused</source>
        <translation>已拒绝导出</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>No trained runs yet: train the project first; its runs appear here.</source>
        <translation>还没有训练好的运行：请先训练项目，它的运行会显示在这里。</translation>
    </message>
    <message>
        <source>Export Into Folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>This format has no outputs to compare.</source>
        <translation>此格式没有可比对的输出。</translation>
    </message>
    <message>
        <source>Saved in {path}: {files}</source>
        <translation>已保存到 {path}：{files}</translation>
    </message>
    <message>
        <source>Export finished.</source>
        <translation>导出完成。</translation>
    </message>
    <message>
        <source>Export failed; nothing was written.</source>
        <translation>导出失败，未写入任何文件。</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>已取消导出，未写入任何文件。</translation>
    </message>
    <message>
        <source>Parity check passed</source>
        <translation>一致性检查通过</translation>
    </message>
    <message>
        <source>Parity check FAILED</source>
        <translation>一致性检查未通过</translation>
    </message>
    <message>
        <source>{verdict}: max abs diff {diff:.3g} (tolerance {tol:.0e})
{backend} vs the trained model on {cases}.</source>
        <translation>{verdict}：最大绝对误差 {diff:.3g}（容差 {tol:.0e}）
{backend} 与训练好的模型在 {cases} 上的比对。</translation>
    </message>
</context>
<context>
    <name>FinetuneWizard</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Fine-tune a pretrained model</source>
        <translation>微调预训练模型</translation>
    </message>
    <message>
        <source>Create Project</source>
        <translation>创建项目</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Modelwright Manual</source>
        <translation>Modelwright 使用手册</translation>
    </message>
    <message>
        <source>The manual could not be read from {path}: {error}</source>
        <translation>无法从 {path} 读取使用手册：{error}</translation>
    </message>
</context>
<context>
    <name>HyperPage</name>
    <message>
        <source>Training settings</source>
        <translation>训练设置</translation>
    </message>
    <message>
        <source>Recommended values for the chosen base and strategy; change them if you like.</source>
        <translation>这些是针对所选基础模型和策略的推荐值，可以按需修改。</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Learning rate (of the head)</source>
        <translation>学习率（输出头）</translation>
    </message>
    <message>
        <source>Tokens per text (sequence length)</source>
        <translation>每段文本的词元数（序列长度）</translation>
    </message>
    <message>
        <source>The base learns at {scale:g} x this rate (discriminative learning rates); the new head at 1 x.</source>
        <translation>基础模型的学习率为该值的 {scale:g} 倍（分层学习率），新的输出头为 1 倍。</translation>
    </message>
    <message>
        <source>Only the head learns, so it can take larger steps.</source>
        <translation>只有输出头参与学习，因此可以使用更大的步长。</translation>
    </message>
</context>
<context>
    <name>ImageDropLabel</name>
    <message>
        <source>Drop an image here</source>
        <translation>把图片拖到这里</translation>
    </message>
</context>
<context>
    <name>ImageGallery</name>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>All classes ({n})</source>
        <translation>所有类别（{n}）</translation>
    </message>
    <message>
        <source>{images} images in {classes} classes</source>
        <translation>{images} 张图片，{classes} 个类别</translation>
    </message>
</context>
<context>
    <name>InspectorWidget</name>
    <message>
        <source>&lt;b&gt;{n} layers selected&lt;/b&gt;</source>
        <translation>&lt;b&gt;已选择 {n} 个层&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Select one layer to edit its parameters.</source>
        <translation>选择一个层以编辑其参数。</translation>
    </message>
    <message>
        <source>&lt;b&gt;No layer selected&lt;/b&gt;</source>
        <translation>&lt;b&gt;未选择层&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Click a layer on the canvas to see and edit its parameters.</source>
        <translation>单击画布上的层即可查看和编辑其参数。</translation>
    </message>
    <message>
        <source>This layer has no parameters.</source>
        <translation>此层没有参数。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;New Project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>Start an empty project</source>
        <translation>开始一个空白项目</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a project or a data file</source>
        <translation>打开项目或数据文件</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import Data…</source>
        <translation>导入数据(&amp;I)…</translation>
    </message>
    <message>
        <source>Bring a table, image folder or text file into the project</source>
        <translation>把表格、图片文件夹或文本文件导入项目</translation>
    </message>
    <message>
        <source>&amp;Export Labelled Data…</source>
        <translation>导出标注数据(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Design</source>
        <translation>设计</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Reset Panel Layout</source>
        <translation>重置面板布局</translation>
    </message>
    <message>
        <source>&amp;Fine-tune a Pretrained Model…</source>
        <translation>微调预训练模型(&amp;F)…</translation>
    </message>
    <message>
        <source>Start a project from a pretrained text model (MiniLM, BERT, GPT-2…)</source>
        <translation>从预训练文本模型（MiniLM、BERT、GPT-2…）开始一个项目</translation>
    </message>
    <message>
        <source>Copy &amp;Training Command</source>
        <translation>复制训练命令(&amp;T)</translation>
    </message>
    <message>
        <source>Training runs from a terminal: copy the command for this project</source>
        <translation>在终端中训练：复制此项目的训练命令</translation>
    </message>
    <message>
        <source>&amp;About Modelwright</source>
        <translation>关于 Modelwright(&amp;A)</translation>
    </message>
    <message>
        <source>Show &amp;Log Folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>User &amp;Manual</source>
        <translation>使用手册(&amp;M)</translation>
    </message>
    <message>
        <source>Read the manual: tutorial, commands, file formats</source>
        <translation>阅读使用手册：教程、命令、文件格式</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>Language and theme</source>
        <translation>语言和主题</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>E&amp;xamples</source>
        <translation>示例(&amp;X)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Modes</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Device: CPU</source>
        <translation>设备：CPU</translation>
    </message>
    <message>
        <source>The device training uses (detected in the background)</source>
        <translation>训练使用的设备（在后台检测）</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Modelwright projects (*.mwproj)</source>
        <translation>Modelwright 项目 (*.mwproj)</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Not opened: the project&apos;s data is outside its folder.</source>
        <translation>未打开：项目的数据位于项目文件夹之外。</translation>
    </message>
    <message>
        <source>Read data from outside the project?</source>
        <translation>要读取项目文件夹之外的数据吗？</translation>
    </message>
    <message>
        <source>“{name}” reads its data from outside its own folder:

{paths}

Open the project and read this data? Choose No if you did not expect this project to use that file.</source>
        <translation>“{name}”从它自己的文件夹之外读取数据：

{paths}

要打开项目并读取这些数据吗？如果你没想到此项目会使用该文件，请选择“否”。</translation>
    </message>
    <message>
        <source>Cannot copy the examples</source>
        <translation>无法复制示例</translation>
    </message>
    <message>
        <source>Your copies of the example projects are in {folder}</source>
        <translation>示例项目的副本位于 {folder}</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>没有最近的项目</translation>
    </message>
    <message>
        <source>Clear Menu</source>
        <translation>清空菜单</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Modelwright projects (*.mwproj);;Data files (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)</source>
        <translation>Modelwright 项目 (*.mwproj);;数据文件 (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Training command copied: paste it into a terminal.</source>
        <translation>训练命令已复制：请粘贴到终端中运行。</translation>
    </message>
    <message>
        <source>About Modelwright</source>
        <translation>关于 Modelwright</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Modelwright {version}&lt;/h3&gt;&lt;p&gt;Build, train and export deep-learning models without code.&lt;/p&gt;&lt;p&gt;PySide6 · PyTorch · pandas · pyqtgraph&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Modelwright {version}&lt;/h3&gt;&lt;p&gt;无需编写代码，即可构建、训练和导出深度学习模型。&lt;/p&gt;&lt;p&gt;PySide6 · PyTorch · pandas · pyqtgraph&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cannot open the example</source>
        <translation>无法打开示例</translation>
    </message>
    <message>
        <source>Reading data…</source>
        <translation>正在读取数据…</translation>
    </message>
    <message>
        <source>Device: {device}</source>
        <translation>设备：{device}</translation>
    </message>
    <message>
        <source>Modelwright</source>
        <translation>Modelwright</translation>
    </message>
    <message>
        <source>{name}[*] — Modelwright</source>
        <translation>{name}[*] — Modelwright</translation>
    </message>
</context>
<context>
    <name>MiniMap</name>
    <message>
        <source>Overview: click or drag to look at another part of the network</source>
        <translation>概览：单击或拖动以查看网络的其他部分</translation>
    </message>
</context>
<context>
    <name>PaletteWidget</name>
    <message>
        <source>Search layers…</source>
        <translation>搜索层…</translation>
    </message>
    <message>
        <source>Layer palette</source>
        <translation>层面板</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>模块</translation>
    </message>
    <message>
        <source>Residual block</source>
        <translation>残差块</translation>
    </message>
    <message>
        <source>Two layers with a skip connection around them (Conv-BN-ReLU-Conv-BN for images, Dense-ReLU-Dense for vectors), added after the layer you drop it on.</source>
        <translation>两个层加上绕过它们的跳跃连接（图片用 Conv-BN-ReLU-Conv-BN，向量用 Dense-ReLU-Dense），添加在你放下它的那个层之后。</translation>
    </message>
</context>
<context>
    <name>Playground</name>
    <message>
        <source>Choose a trained run above to try it.</source>
        <translation>在上方选择一个训练好的运行来试用。</translation>
    </message>
    <message>
        <source>Type a text to classify</source>
        <translation>输入要分类的文本</translation>
    </message>
    <message>
        <source>Choose Image…</source>
        <translation>选择图片…</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Loading {run}…</source>
        <translation>正在加载 {run}…</translation>
    </message>
    <message>
        <source>Cannot load the run: {error}</source>
        <translation>无法加载该运行：{error}</translation>
    </message>
    <message>
        <source>This run is a language model; text generation is not part of this version of the playground (use &lt;code&gt;main.py generate&lt;/code&gt;).</source>
        <translation>此运行是语言模型；当前版本的试用区不支持文本生成（请使用 &lt;code&gt;main.py generate&lt;/code&gt;）。</translation>
    </message>
    <message>
        <source>Enter the features (the training averages are filled in):</source>
        <translation>输入特征（已填入训练数据的平均值）：</translation>
    </message>
    <message>
        <source>Type a text:</source>
        <translation>输入文本：</translation>
    </message>
    <message>
        <source>Drop an image or choose one:</source>
        <translation>拖入或选择一张图片：</translation>
    </message>
    <message>
        <source>Choose an image</source>
        <translation>选择图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Cannot predict: {error}</source>
        <translation>无法预测：{error}</translation>
    </message>
    <message>
        <source>&lt;h2&gt;{answer}&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;{answer}&lt;/h2&gt;</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>The new language is used the next time Modelwright starts.</source>
        <translation>新的语言将在下次启动 Modelwright 时生效。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
</context>
<context>
    <name>PreparationPanel</name>
    <message>
        <source>Detect from the target</source>
        <translation>根据目标列自动判断</translation>
    </message>
    <message>
        <source>Yes/no (binary)</source>
        <translation>是/否（二分类）</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Fill with the mean</source>
        <translation>用均值填充</translation>
    </message>
    <message>
        <source>Fill with the median</source>
        <translation>用中位数填充</translation>
    </message>
    <message>
        <source>Fill with the most common value</source>
        <translation>用最常见的值填充</translation>
    </message>
    <message>
        <source>Fill with a value</source>
        <translation>用指定值填充</translation>
    </message>
    <message>
        <source>Drop the row</source>
        <translation>删除该行</translation>
    </message>
    <message>
        <source>value, e.g. 0</source>
        <translation>填充值，例如 0</translation>
    </message>
    <message>
        <source>Remove duplicate rows</source>
        <translation>删除重复行</translation>
    </message>
    <message>
        <source>One-hot</source>
        <translation>独热编码</translation>
    </message>
    <message>
        <source>Ordinal (numbers)</source>
        <translation>序号编码（数字）</translation>
    </message>
    <message>
        <source>Standardise (mean 0, std 1)</source>
        <translation>标准化（均值 0，标准差 1）</translation>
    </message>
    <message>
        <source>Min-max (0 to 1)</source>
        <translation>最小-最大缩放（0 到 1）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>不缩放</translation>
    </message>
    <message>
        <source>Standardise</source>
        <translation>标准化</translation>
    </message>
    <message>
        <source>Min-max</source>
        <translation>最小-最大缩放</translation>
    </message>
    <message>
        <source>Cleaning and encoding</source>
        <translation>清洗与编码</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Missing values</source>
        <translation>缺失值</translation>
    </message>
    <message>
        <source>Fill value</source>
        <translation>填充值</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>类别编码</translation>
    </message>
    <message>
        <source>Scaling</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Target scaling</source>
        <translation>目标缩放</translation>
    </message>
    <message>
        <source>Characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>单词</translation>
    </message>
    <message>
        <source>Lowercase</source>
        <translation>转为小写</translation>
    </message>
    <message>
        <source>Text (tokenisation)</source>
        <translation>文本（分词）</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>分词单位</translation>
    </message>
    <message>
        <source>Vocabulary size</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Sequence length</source>
        <translation>序列长度</translation>
    </message>
    <message>
        <source>Colour (RGB)</source>
        <translation>彩色（RGB）</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>Random horizontal flip</source>
        <translation>随机水平翻转</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Random crop padding (px)</source>
        <translation>随机裁剪填充（像素）</translation>
    </message>
    <message>
        <source>Random rotation (°)</source>
        <translation>随机旋转（°）</translation>
    </message>
    <message>
        <source>Colour jitter</source>
        <translation>颜色抖动</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Stratified by class</source>
        <translation>按类别分层</translation>
    </message>
    <message>
        <source>From a column</source>
        <translation>按某一列</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>数据划分</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Split column</source>
        <translation>划分列</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>Validation %</source>
        <translation>验证集 %</translation>
    </message>
    <message>
        <source>Test %</source>
        <translation>测试集 %</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>划分结果</translation>
    </message>
    <message>
        <source>Change task</source>
        <translation>更改任务</translation>
    </message>
    <message>
        <source>Change missing values</source>
        <translation>更改缺失值处理</translation>
    </message>
    <message>
        <source>Change fill value</source>
        <translation>更改填充值</translation>
    </message>
    <message>
        <source>Change duplicate removal</source>
        <translation>更改重复行删除</translation>
    </message>
    <message>
        <source>Change category encoding</source>
        <translation>更改类别编码</translation>
    </message>
    <message>
        <source>Change scaling</source>
        <translation>更改缩放</translation>
    </message>
    <message>
        <source>Change target scaling</source>
        <translation>更改目标缩放</translation>
    </message>
    <message>
        <source>Change tokens</source>
        <translation>更改词元</translation>
    </message>
    <message>
        <source>Change vocabulary size</source>
        <translation>更改词表大小</translation>
    </message>
    <message>
        <source>Change sequence length</source>
        <translation>更改序列长度</translation>
    </message>
    <message>
        <source>Change lowercase</source>
        <translation>更改小写转换</translation>
    </message>
    <message>
        <source>Change image size</source>
        <translation>更改图片尺寸</translation>
    </message>
    <message>
        <source>Change channels</source>
        <translation>更改通道</translation>
    </message>
    <message>
        <source>Change flip</source>
        <translation>更改翻转</translation>
    </message>
    <message>
        <source>Change crop</source>
        <translation>更改裁剪</translation>
    </message>
    <message>
        <source>Change rotation</source>
        <translation>更改旋转</translation>
    </message>
    <message>
        <source>Change colour jitter</source>
        <translation>更改颜色抖动</translation>
    </message>
    <message>
        <source>Change split method</source>
        <translation>更改划分方式</translation>
    </message>
    <message>
        <source>Change split column</source>
        <translation>更改划分列</translation>
    </message>
    <message>
        <source>Change split ratios</source>
        <translation>更改划分比例</translation>
    </message>
    <message>
        <source>Change split seed</source>
        <translation>更改划分随机种子</translation>
    </message>
    <message>
        <source>Change data settings</source>
        <translation>更改数据设置</translation>
    </message>
</context>
<context>
    <name>RecoveryManager</name>
    <message>
        <source>Cannot restore project</source>
        <extracomment>Changes come in bursts (typing a value, dragging several nodes): save once they settle.</extracomment>
        <translation>无法恢复项目</translation>
    </message>
    <message>
        <source>Restored unsaved changes to {name}; save to keep them.</source>
        <translation>已恢复对 {name} 未保存的更改；请保存以保留它们。</translation>
    </message>
    <message>
        <source>a project never saved</source>
        <translation>从未保存过的项目</translation>
    </message>
    <message>
        <source>Restore unsaved changes?</source>
        <translation>恢复未保存的更改？</translation>
    </message>
    <message>
        <source>Modelwright did not close properly last time. Unsaved changes to “{name}” were kept (autosaved {when}).</source>
        <translation>Modelwright 上次没有正常关闭。对“{name}”未保存的更改已被保留（自动保存于 {when}）。</translation>
    </message>
    <message>
        <source>Project: {where}
Restore them now? If you discard them they are gone for good.</source>
        <translation>项目：{where}
现在恢复吗？如果丢弃，它们将永久消失。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Not Now</source>
        <translation>以后再说</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Review</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Where to save the project (*.mwproj)</source>
        <translation>项目保存位置（*.mwproj）</translation>
    </message>
    <message>
        <source>Loading the base and measuring a few training steps…</source>
        <translation>正在加载基础模型并测量几个训练步…</translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>Modelwright projects (*.mwproj)</source>
        <translation>Modelwright 项目 (*.mwproj)</translation>
    </message>
    <message>
        <source>Strategy: {s}. Training samples: {n}.</source>
        <translation>策略：{s}。训练样本：{n}。</translation>
    </message>
    <message>
        <source>This combination cannot be trained:
{error}</source>
        <translation>此组合无法训练：
{error}</translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation>无法保存项目</translation>
    </message>
</context>
<context>
    <name>RunHistory</name>
    <message>
        <source>Overlay selected</source>
        <translation>叠加所选</translation>
    </message>
    <message>
        <source>Draw the curves of the selected runs over the current plots</source>
        <translation>在当前图表上叠加显示所选运行的曲线</translation>
    </message>
    <message>
        <source>Compare Settings</source>
        <translation>比较设置</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Continue a stopped run from its last checkpoint</source>
        <translation>从最近的检查点继续已停止的运行</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>&lt;b&gt;Runs&lt;/b&gt;</source>
        <translation>&lt;b&gt;运行记录&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Cannot rename run</source>
        <translation>无法重命名运行</translation>
    </message>
    <message>
        <source>Cannot delete run</source>
        <translation>无法删除运行</translation>
    </message>
    <message>
        <source>Rename run</source>
        <translation>重命名运行</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Delete {names} and everything in their folders?</source>
        <translation>删除 {names} 及其文件夹中的所有内容？</translation>
    </message>
</context>
<context>
    <name>RunTableModel</name>
    <message>
        <source>F1 of the positive class for binary tasks (in runs made before val_f1_macro, multiclass F1 averaged over the classes)</source>
        <translation>二分类任务中正类的 F1（在有 val_f1_macro 之前的运行中，是多分类各类别 F1 的平均值）</translation>
    </message>
    <message>
        <source>F1 averaged over the classes (each class counts the same)</source>
        <translation>各类别 F1 的平均值（每个类别权重相同）</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>LR</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Val loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>用时（秒）</translation>
    </message>
</context>
<context>
    <name>SearchPlots</name>
    <message>
        <source>low → high</source>
        <translation>低 → 高</translation>
    </message>
    <message>
        <source>Metric against:</source>
        <translation>指标对比：</translation>
    </message>
    <message>
        <source>Parallel coordinates (each line a finished trial; orange = better)</source>
        <translation>平行坐标图（每条线是一次完成的试验；橙色 = 更好）</translation>
    </message>
</context>
<context>
    <name>SettingsDiffDialog</name>
    <message>
        <source>Compare runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>The two runs used the same settings.</source>
        <translation>这两个运行使用了相同的设置。</translation>
    </message>
    <message>
        <source>{n} settings differ:</source>
        <translation>有 {n} 项设置不同：</translation>
    </message>
</context>
<context>
    <name>StrategyPage</name>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Train the head only (fast; the base stays as it is)</source>
        <translation>只训练输出头（快速；基础模型保持不变）</translation>
    </message>
    <message>
        <source>Freeze the first N blocks, train the rest</source>
        <translation>冻结前 N 个块，训练其余部分</translation>
    </message>
    <message>
        <source>Full fine-tuning (best results, most memory)</source>
        <translation>全量微调（效果最好，内存占用最多）</translation>
    </message>
    <message>
        <source>LoRA adapters (well under 2 % of the weights learn; little memory)</source>
        <translation>LoRA 适配器（参与学习的权重远少于 2%，内存占用少）</translation>
    </message>
    <message>
        <source>Gradual unfreezing (one more block per epoch, from the top)</source>
        <translation>逐步解冻（每轮从顶部多解冻一个块）</translation>
    </message>
    <message>
        <source>Empty: the attention layers usual for the architecture</source>
        <translation>留空：使用该架构常用的注意力层</translation>
    </message>
    <message>
        <source>Frozen blocks (N)</source>
        <translation>冻结的块数（N）</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>LoRA 秩</translation>
    </message>
    <message>
        <source>LoRA alpha</source>
        <translation>LoRA alpha</translation>
    </message>
    <message>
        <source>LoRA dropout</source>
        <translation>LoRA dropout</translation>
    </message>
    <message>
        <source>LoRA target layers</source>
        <translation>LoRA 目标层</translation>
    </message>
    <message>
        <source>Learning-rate decay per block (1 = same for all)</source>
        <translation>每个块的学习率衰减（1 = 全部相同）</translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>FLOPs</source>
        <translation>FLOPs</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layers}&lt;/b&gt; layers · &lt;b&gt;{params}&lt;/b&gt; parameters · {flops} FLOPs per example&lt;br&gt;Weights {weights} (fp32) · training with Adam about {training} + {acts} per example in a batch</source>
        <translation>&lt;b&gt;{layers}&lt;/b&gt; 个层 · &lt;b&gt;{params}&lt;/b&gt; 个参数 · 每个样本 {flops} FLOPs&lt;br&gt;权重 {weights}（fp32）· 用 Adam 训练约需 {training}，批中每个样本另需 {acts}</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#37a85c&apos;&gt;✓ The network fits together and can be trained.&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#37a85c&apos;&gt;✓ 网络连接正确，可以训练。&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>TemplateGallery</name>
    <message>
        <source>Start from a template</source>
        <translation>从模板开始</translation>
    </message>
    <message>
        <source>Replace the network with a ready-made one, sized to your data. You can undo this.</source>
        <translation>用按你的数据调整好尺寸的现成网络替换当前网络。此操作可以撤销。</translation>
    </message>
    <message>
        <source>Use Template</source>
        <translation>使用模板</translation>
    </message>
    <message>
        <source>Keras first network (2-3-1)</source>
        <translation>Keras 入门网络（2-3-1）</translation>
    </message>
    <message>
        <source>MLP (tables)</source>
        <translation>MLP（表格）</translation>
    </message>
    <message>
        <source>CNN (images)</source>
        <translation>CNN（图片）</translation>
    </message>
    <message>
        <source>LSTM text classifier</source>
        <translation>LSTM 文本分类器</translation>
    </message>
    <message>
        <source>Transformer text classifier</source>
        <translation>Transformer 文本分类器</translation>
    </message>
    <message>
        <source>GPT (text generation)</source>
        <translation>GPT（文本生成）</translation>
    </message>
    <message>
        <source>Fine-tune a text encoder</source>
        <translation>微调文本编码器</translation>
    </message>
    <message>
        <source>Fine-tune a language model</source>
        <translation>微调语言模型</translation>
    </message>
    <message>
        <source>Fine-tune a chat model (LoRA)</source>
        <translation>微调对话模型（LoRA）</translation>
    </message>
    <message>
        <source>{shape} features</source>
        <translation>{shape} 个特征</translation>
    </message>
    <message>
        <source>{shape} images</source>
        <translation>{shape} 图片</translation>
    </message>
    <message>
        <source>sequences of {shape} tokens</source>
        <translation>{shape} 个词元的序列</translation>
    </message>
    <message>
        <source>yes/no</source>
        <translation>是/否</translation>
    </message>
    <message>
        <source>{n} classes</source>
        <translation>{n} 个类别</translation>
    </message>
    <message>
        <source>{n} values</source>
        <translation>{n} 个值</translation>
    </message>
    <message>
        <source>next token of {n}</source>
        <translation>{n} 个词元中的下一个</translation>
    </message>
    <message>
        <source>Sized to: {info}</source>
        <translation>尺寸：{info}</translation>
    </message>
    <message>
        <source>Sizes from the project&apos;s data: {info}</source>
        <translation>尺寸取自项目数据：{info}</translation>
    </message>
    <message>
        <source>No prepared data: sizes come from the current Input layer or the template&apos;s defaults.</source>
        <translation>没有准备好的数据：尺寸取自当前的输入层或模板的默认值。</translation>
    </message>
</context>
<context>
    <name>TrainView</name>
    <message>
        <source>Start</source>
        <extracomment>Bars and labels follow the run at most this often (seconds), the live diagnosis at most once a second: as often as a person reads them. Updates arrive up to 20 times a second, and every repaint of the window is CPU the training process on the same machine loses.</extracomment>
        <translation>开始</translation>
    </message>
    <message>
        <source>Train the project as saved (unsaved changes are saved first)</source>
        <translation>按已保存的项目训练（未保存的更改会先保存）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after this batch; the run keeps its last and best checkpoints and can be resumed</source>
        <translation>在当前批次后停止；运行会保留最近和最佳检查点，之后可以继续</translation>
    </message>
    <message>
        <source>Ready to train.</source>
        <translation>可以开始训练。</translation>
    </message>
    <message>
        <source>epoch %p%</source>
        <translation>本轮 %p%</translation>
    </message>
    <message>
        <source>run %p%</source>
        <translation>总进度 %p%</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>本轮</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>全程</translation>
    </message>
    <message>
        <source>Save the project first</source>
        <translation>请先保存项目</translation>
    </message>
    <message>
        <source>Training reads the project from its file: save the project, then start again.</source>
        <translation>训练从项目文件读取项目：请先保存项目，然后重新开始。</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Resuming {run}…</source>
        <translation>正在继续 {run}…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>正在停止</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>已暂停。</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>将在当前批次后停止…</translation>
    </message>
    <message>
        <source>Preparing data: {message}</source>
        <translation>正在准备数据：{message}</translation>
    </message>
    <message>
        <source>{device} · {params} parameters
{memory}</source>
        <translation>{device} · {params} 个参数
{memory}</translation>
    </message>
    <message>
        <source>Training {run} on {device}…</source>
        <translation>正在 {device} 上训练 {run}…</translation>
    </message>
    <message>
        <source>{elapsed} elapsed · {eta} left</source>
        <translation>已用 {elapsed} · 剩余 {eta}</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>samples/s</source>
        <translation>样本/秒</translation>
    </message>
    <message>
        <source>Finished early: {reason}.</source>
        <translation>提前结束：{reason}。</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <source>Stopped; the run keeps its checkpoints and can be resumed from the run list.</source>
        <translation>已停止；运行保留了检查点，可以从运行列表中继续。</translation>
    </message>
    <message>
        <source>Training failed: {error}</source>
        <translation>训练失败：{error}</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Applied: {fix}. Start a new run to try it (Edit ▸ Undo reverts it).</source>
        <translation>已应用：{fix}。开始新的运行来试试效果（可用“编辑 ▸ 撤销”还原）。</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>Loss</source>
        <extracomment>Redrawing may use at most this share of the GUI thread (and of a core the training process would otherwise have); slower frames space redraws out. Evaluation points get a dot only while there are few enough to tell apart.</extracomment>
        <translation>损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Validation metrics</source>
        <translation>验证集指标</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>train (step)</source>
        <translation>训练（每步）</translation>
    </message>
    <message>
        <source>train (smoothed)</source>
        <translation>训练（平滑）</translation>
    </message>
    <message>
        <source>train (epoch)</source>
        <translation>训练（每轮）</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <source>early stop</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Raw steps</source>
        <translation>原始步</translation>
    </message>
    <message>
        <source>Smoothing </source>
        <translation>平滑 </translation>
    </message>
    <message>
        <source>Auto-range</source>
        <translation>自动范围</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save the plots as PNG or SVG</source>
        <translation>将图表保存为 PNG 或 SVG</translation>
    </message>
    <message>
        <source>step {step}: loss {loss:.4g}, smoothed {smooth:.4g}</source>
        <translation>第 {step} 步：损失 {loss:.4g}，平滑后 {smooth:.4g}</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Export plots</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 图片 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
</context>
<context>
    <name>TrainingSettingsPanel</name>
    <message>
        <source>Binary tasks: f1, precision and recall are of the positive class (the second label); f1_macro averages both classes. Several classes: f1_macro, precision and recall average the classes.</source>
        <translation>二分类任务：f1、precision 和 recall 针对正类（第二个标签）；f1_macro 是两个类别的平均值。多个类别：f1_macro、precision 和 recall 是各类别的平均值。</translation>
    </message>
    <message>
        <source>off (use epochs)</source>
        <translation>关闭（按轮次）</translation>
    </message>
    <message>
        <source>default for the task, e.g. accuracy, f1</source>
        <translation>留空使用任务默认值，例如 accuracy、f1</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Warm-up steps</source>
        <translation>预热步数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Gradient clip</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>监控指标</translation>
    </message>
    <message>
        <source>Patience</source>
        <translation>耐心值</translation>
    </message>
    <message>
        <source>Min. change</source>
        <translation>最小变化</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>Every (seconds)</source>
        <translation>间隔（秒）</translation>
    </message>
    <message>
        <source>Every (batches)</source>
        <translation>间隔（批次）</translation>
    </message>
    <message>
        <source>Change epochs</source>
        <translation>更改轮次</translation>
    </message>
    <message>
        <source>Change steps</source>
        <translation>更改步数</translation>
    </message>
    <message>
        <source>Change batch size</source>
        <translation>更改批大小</translation>
    </message>
    <message>
        <source>Change optimizer</source>
        <translation>更改优化器</translation>
    </message>
    <message>
        <source>Change learning rate</source>
        <translation>更改学习率</translation>
    </message>
    <message>
        <source>Change momentum</source>
        <translation>更改动量</translation>
    </message>
    <message>
        <source>Change weight decay</source>
        <translation>更改权重衰减</translation>
    </message>
    <message>
        <source>Change schedule</source>
        <translation>更改学习率调度</translation>
    </message>
    <message>
        <source>Change warm-up</source>
        <translation>更改预热</translation>
    </message>
    <message>
        <source>Change loss</source>
        <translation>更改损失函数</translation>
    </message>
    <message>
        <source>Change gradient clipping</source>
        <translation>更改梯度裁剪</translation>
    </message>
    <message>
        <source>Change device</source>
        <translation>更改设备</translation>
    </message>
    <message>
        <source>Change precision</source>
        <translation>更改精度</translation>
    </message>
    <message>
        <source>Change seed</source>
        <translation>更改随机种子</translation>
    </message>
    <message>
        <source>Change patience</source>
        <translation>更改耐心值</translation>
    </message>
    <message>
        <source>Change early-stopping change</source>
        <translation>更改提前停止的最小变化</translation>
    </message>
    <message>
        <source>Change checkpoint interval</source>
        <translation>更改检查点间隔</translation>
    </message>
    <message>
        <source>Change metrics</source>
        <translation>更改指标</translation>
    </message>
    <message>
        <source>Change early-stopping metric</source>
        <translation>更改提前停止的监控指标</translation>
    </message>
    <message>
        <source>Turn early stopping on</source>
        <translation>开启提前停止</translation>
    </message>
    <message>
        <source>Turn early stopping off</source>
        <translation>关闭提前停止</translation>
    </message>
    <message>
        <source>These settings are not valid yet: {error}</source>
        <translation>这些设置尚不正确：{error}</translation>
    </message>
</context>
<context>
    <name>_400.self</name>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>
