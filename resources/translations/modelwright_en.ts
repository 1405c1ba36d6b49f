<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AttentionView</name>
    <message>
        <source>&lt;b&gt;Attention&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attention layer to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One attention head, or the mean of all heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>looks at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each row is one word: the brighter a cell, the more that word drew on the word of its column when the model read the text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer {n}: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean of heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AutoAnswer</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note: dialog “{title}” answered “{choice}” without waiting (unattended run): {text}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BasePage</name>
    <message>
        <source>Pretrained base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model whose knowledge of language your model starts from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundled sentence encoder (all-MiniLM-L6-v2, 22.7 M parameters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Hugging Face model folder (BERT, RoBERTa, DistilBERT, GPT-2…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An earlier Modelwright run (continue a fine-tuned model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder of the model or of the run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a model folder, not a run; choose the option above.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CanvasView</name>
    <message>
        <source>Dropping here replaces the wire from &apos;{node}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CloseGuard</name>
    <message>
        <source>A training run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A hyper-parameter search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An evaluation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop what is still going and close Modelwright?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A stopped training run or search keeps its last checkpoint and can be resumed later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop and keep the checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ColumnPanel</name>
    <message>
        <source>Select a column in the table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature (model input)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target (to predict)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Numeric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Categorical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes/no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows: {n:,}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing: {n:,} ({pct:.1f} %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distinct values: {n:,}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean {mean:.4g} · std {std:.4g}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min {min:.4g} · median {median:.4g} · max {max:.4g}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most common: {top}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most common values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistics are not available: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <source>Input/Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Core</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretrained</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>classification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>language-model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PyTorch code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A readable model.py (an nn.Module with the preprocessing constants) and model.safetensors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TorchScript</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model.pt: loads with torch.jit.load in any PyTorch program (C++ too), no model code needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ONNX</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model.onnx for onnxruntime, TensorRT, OpenVINO, web and mobile runtimes (checked with onnxruntime).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>safetensors + architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model.safetensors (weights only, safe to load) and architecture.json (the network as JSON).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hugging Face folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For fine-tuned Hugging Face models: a folder that transformers loads (from_pretrained).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torchrun training bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project, data reference, launch.sh and the Modelwright core: train on several GPUs or machines with torchrun (DistributedDataParallel).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA adapter (peft)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For LoRA fine-tuned language models: the adapter alone, loaded on the base with peft.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF (llama.cpp, Ollama)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For language models fine-tuned from a Llama-family base: one GGUF file and an Ollama Modelfile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The classic first Keras network: 2 inputs -&gt; Dense(3, relu) -&gt; Dense(1, sigmoid).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tables: two hidden Dense layers with ReLU and Dropout, then classes (values: one hidden layer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images: Conv-BatchNorm-ReLU-Pool blocks, global average pooling, then classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelled text: token Embedding -&gt; LSTM (last state) -&gt; classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelled text: Embedding + positions -&gt; 2 Transformer encoder layers -&gt; mean pooling -&gt; classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text generation: a small GPT (4 causal decoder blocks, 128 wide) with a tied LM head.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelled text on a pretrained encoder (bundled MiniLM or a Hugging Face folder): mean pooling -&gt; classes or values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text generation: continue a pretrained GPT-style model (a Hugging Face folder) on your text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat: teach a pretrained causal language model (Llama, Qwen2 ... folder) to answer, from Alpaca, ShareGPT or messages data, with LoRA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dense (Linear)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flatten</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reshape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conv1d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conv2d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ConvTranspose2d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MaxPool1d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MaxPool2d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AvgPool2d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaptiveAvgPool2d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GlobalAvgPool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BatchNorm1d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BatchNorm2d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LayerNorm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SiLU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tanh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sigmoid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LeakyReLU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GELU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Softmax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Positional embedding (learned)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Positional encoding (sinusoidal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LSTM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GRU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multi-head self-attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer encoder layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPT decoder block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sequence pooling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multiply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Concatenate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classification head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LM head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretrained text encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretrained causal LM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocab size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stride</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Padding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output padding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Affine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negative slope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approximate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Num embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding dim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max len</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Num layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bidirectional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return sequences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Num heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Causal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dim feedforward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Norm first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mlp ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Num classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tie to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lr scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lr decay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unfreeze every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lora rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lora alpha</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lora dropout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target modules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Something went wrong</source>
        <extracomment>Tests replace this to collect the reports instead of showing a modal dialog.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modelwright ran into an unexpected problem. Your project is still open and nothing was saved over it. The details below were also written to:
{log}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataFrameModel</name>
    <message>
        <source>Relabelled (was “{old}”)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right-click to change the role or type of “{name}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>numeric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>categorical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>Task and data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classify or score labelled text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue a language model on a text file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CSV/Excel table, or a .txt file for language modelling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A plain text file: the model learns to continue it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} columns found.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataView</name>
    <message>
        <source>Import Data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation and split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Bring in your data&lt;/h2&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A table (CSV, TSV, Excel, Parquet, JSON Lines) with one row per example, a folder with one sub-folder of images per class, or a text file.
Drop it on this window, or choose it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a File…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an Image Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data files (*.csv *.tsv *.txt *.xlsx *.xlsm *.parquet *.pq *.jsonl *.ndjson *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import an image folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set “{name}” as {role}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set “{name}” type to {type}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relabel row {row} as “{label}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relabel {n} rows as “{label}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore original labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no labelled table to export: import a table with a target column first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export labelled data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export the labelled data: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelled data written to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data could not be read because of an unexpected error; the details were logged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import cancelled. The project was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The project&apos;s data cannot be shown: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This project uses generated data ({name}); there is no file to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split {train:.0%} / {val:.0%} / {test:.0%} (train / validation / test), seed {seed}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{used:,}&lt;/b&gt; of {total:,} rows used: &lt;b&gt;{train:,}&lt;/b&gt; train · &lt;b&gt;{val:,}&lt;/b&gt; validation · &lt;b&gt;{test:,}&lt;/b&gt; test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task: {task}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classes in train: {classes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing values to fill ({how}): {cols}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Numeric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Categorical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes/no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relabel Selected Rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Class…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore Original Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new class:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated data: {name}, {n} samples</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DesignerView</name>
    <message>
        <source>Templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the network from a ready-made template sized to your data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lay the network out top to bottom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom to show the whole network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected layers and connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expand Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the selected block out as the layers it is made of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collapse into Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn the selected layers back into one block node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert Residual Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add two layers with a skip connection after the selected layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snap to Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a map of the whole network in the canvas corner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Layers&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag a layer onto the canvas (onto a layer to attach it below), or double-click it to add it below the selection. Drag from a layer&apos;s bottom port to another&apos;s top port to connect them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add {layer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no layer &apos;{node}&apos; in the network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect {a} → {b} instead of {c}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect {a} → {b}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected {a} → {b}, replacing the wire from {c}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected {a} → {b}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect {a} → {b}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change {name} of {node}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move {node}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move {n} layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied {n} layers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no layers copied from the designer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste {n} layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrange layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one block (a GPT decoder block or a Transformer encoder layer) to expand it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expand {node}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collapse into block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert residual block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use template {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the project&apos;s data to size the templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data could not be prepared ({error}); sizes come from the current Input layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DiagnosisPanel</name>
    <message>
        <source>&lt;b&gt;Diagnosis&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing unusual in the learning curves so far.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (from epoch {epoch:g})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the changes to “{name}” before closing it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your changes are lost if you don&apos;t save them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvaluateView</name>
    <message>
        <source>{metric} of the positive class &apos;{label}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{metric} averaged over the classes (each class counts the same)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate, the playground and exports use the run&apos;s best checkpoint (best validation score); main.py evaluate --weights final uses the final weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights: final</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights: final (epoch {epoch})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights: best checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights: best checkpoint (epoch {epoch})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the run was stopped before the end; these are its best weights so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test split (validation if none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A labelled file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Run&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows: true class · columns: predicted class. Click a cell to list its samples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Confusion matrix&lt;/b&gt; (rows: true, columns: predicted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted vs actual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>actual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Residuals (predicted − actual)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playground</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trained runs yet: train the project in the Train view first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelled data to evaluate on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data files (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluating {run}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluation failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{run} on {data} ({n} samples)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click a cell of the confusion matrix to see its samples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true {t}, predicted {p}: {n} ({share:.0%} of {t})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>correct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>misclassified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} {kind}: true {t}, predicted {p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Examples</name>
    <message>
        <source>Iris flowers (table, MLP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>150 flowers, 4 measurements, 3 species: classification of a table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keras first network (generated data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The classic 2-3-1 network on 1,000 generated points; no file needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shapes (images, CNN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>120 small pictures of circles, squares and triangles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product reviews (text, LSTM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>300 short reviews, positive or negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product reviews (text, Transformer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same reviews with a small Transformer encoder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product reviews (fine-tune MiniLM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bundled pretrained MiniLM sentence encoder fine-tuned on the reviews.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python docs GPT (text generation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A small GPT trained from scratch on Python&apos;s help pages.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExperimentsView</name>
    <message>
        <source>F1 of the positive class (binary tasks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1 averaged over the classes (each class counts the same)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From / choices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A training setting or a layer parameter of the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TPE (learns from earlier trials)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid (every combination)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as in the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop hopeless trials early</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time budget (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs per trial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train the saved project once per trial, each in runs/&lt;search&gt;/trial-NNN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after this batch; starting the same search again resumes it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Search…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose settings to vary, then start a search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to vary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote Best Trial to the Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the best trial&apos;s settings into the project (Edit ▸ Undo reverts it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote Selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which settings mattered (parameter importance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the project first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A search trains the project from its file: save the project, then start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start the search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching… (results in {folder})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trial {n} is training…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search stopped; start it again with the same settings to resume (Open Search… shows it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a search folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pruned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best: trial {n}, {metric} = {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote trial {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trial {n}&apos;s settings are now the project&apos;s (Edit ▸ Undo reverts it).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExplanationPanel</name>
    <message>
        <source>&lt;b&gt;Why this answer?&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grad-CAM (where the network looked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Integrated gradients (pixel by pixel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saliency (SmoothGrad)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature Importance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much worse the model gets when each column&apos;s values are shuffled (on the test or validation data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explaining…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot explain: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bright areas drove the answer “{label}” most.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss increase when each column is shuffled: the higher, the more the model relies on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Positive numbers pushed the answer towards “{label}”, negative ones away from it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportView</name>
    <message>
        <source>&lt;b&gt;Export&lt;/b&gt; — save a trained run as PyTorch code, TorchScript, ONNX or safetensors. Every export is loaded back and checked against the trained model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first}, … ({count} in all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder “{folder}” already holds an export. Replace it? Its contents are deleted: {files}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export refused; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trained runs yet: train the project first; its runs appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Into Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This format has no outputs to compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved in {path}: {files}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parity check passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parity check FAILED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{verdict}: max abs diff {diff:.3g} (tolerance {tol:.0e})
{backend} vs the trained model on {cases}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FinetuneWizard</name>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fine-tune a pretrained model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create Project</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Modelwright Manual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The manual could not be read from {path}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HyperPage</name>
    <message>
        <source>Training settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended values for the chosen base and strategy; change them if you like.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate (of the head)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per text (sequence length)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The base learns at {scale:g} x this rate (discriminative learning rates); the new head at 1 x.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the head learns, so it can take larger steps.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImageDropLabel</name>
    <message>
        <source>Drop an image here</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImageGallery</name>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All classes ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{images} images in {classes} classes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InspectorWidget</name>
    <message>
        <source>&lt;b&gt;{n} layers selected&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one layer to edit its parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;No layer selected&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click a layer on the canvas to see and edit its parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This layer has no parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;New Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start an empty project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a project or a data file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import Data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bring a table, image folder or text file into the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export Labelled Data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Design</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset Panel Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fine-tune a Pretrained Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a project from a pretrained text model (MiniLM, BERT, GPT-2…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;Training Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training runs from a terminal: copy the command for this project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Modelwright</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;Log Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User &amp;Manual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the manual: tutorial, commands, file formats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language and theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xamples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device: CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device training uses (detected in the background)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modelwright projects (*.mwproj)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not opened: the project&apos;s data is outside its folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read data from outside the project?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{name}” reads its data from outside its own folder:

{paths}

Open the project and read this data? Choose No if you did not expect this project to use that file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot copy the examples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your copies of the example projects are in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear Menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modelwright projects (*.mwproj);;Data files (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training command copied: paste it into a terminal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Modelwright</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Modelwright {version}&lt;/h3&gt;&lt;p&gt;Build, train and export deep-learning models without code.&lt;/p&gt;&lt;p&gt;PySide6 · PyTorch · pandas · pyqtgraph&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device: {device}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modelwright</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}[*] — Modelwright</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MiniMap</name>
    <message>
        <source>Overview: click or drag to look at another part of the network</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PaletteWidget</name>
    <message>
        <source>Search layers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer palette</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Residual block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two layers with a skip connection around them (Conv-BN-ReLU-Conv-BN for images, Dense-ReLU-Dense for vectors), added after the layer you drop it on.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Playground</name>
    <message>
        <source>Choose a trained run above to try it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a text to classify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose Image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading {run}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot load the run: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run is a language model; text generation is not part of this version of the playground (use &lt;code&gt;main.py generate&lt;/code&gt;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the features (the training averages are filled in):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a text:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop an image or choose one:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot predict: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;{answer}&lt;/h2&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new language is used the next time Modelwright starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreparationPanel</name>
    <message>
        <source>Detect from the target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes/no (binary)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill with the mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill with the median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill with the most common value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill with a value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop the row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value, e.g. 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove duplicate rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One-hot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ordinal (numbers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standardise (mean 0, std 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min-max (0 to 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standardise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min-max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleaning and encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scaling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target scaling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lowercase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text (tokenisation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sequence length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour (RGB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random horizontal flip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Height</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random crop padding (px)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random rotation (°)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stratified by class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From a column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change missing values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change fill value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change duplicate removal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change category encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change scaling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change target scaling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change vocabulary size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change sequence length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change lowercase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change image size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change flip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change crop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change rotation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change colour jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change split method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change split column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change split ratios</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change split seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change data settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryManager</name>
    <message>
        <source>Cannot restore project</source>
        <extracomment>Changes come in bursts (typing a value, dragging several nodes): save once they settle.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored unsaved changes to {name}; save to keep them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a project never saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore unsaved changes?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modelwright did not close properly last time. Unsaved changes to “{name}” were kept (autosaved {when}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project: {where}
Restore them now? If you discard them they are gone for good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not Now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to save the project (*.mwproj)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the base and measuring a few training steps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modelwright projects (*.mwproj)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy: {s}. Training samples: {n}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This combination cannot be trained:
{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunHistory</name>
    <message>
        <source>Overlay selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw the curves of the selected runs over the current plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue a stopped run from its last checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Runs&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot rename run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot delete run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete {names} and everything in their folders?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunTableModel</name>
    <message>
        <source>F1 of the positive class for binary tasks (in runs made before val_f1_macro, multiclass F1 averaged over the classes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1 averaged over the classes (each class counts the same)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Val loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchPlots</name>
    <message>
        <source>low → high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metric against:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parallel coordinates (each line a finished trial; orange = better)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDiffDialog</name>
    <message>
        <source>Compare runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two runs used the same settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} settings differ:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StrategyPage</name>
    <message>
        <source>Strategy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train the head only (fast; the base stays as it is)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze the first N blocks, train the rest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full fine-tuning (best results, most memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA adapters (well under 2 % of the weights learn; little memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradual unfreezing (one more block per epoch, from the top)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: the attention layers usual for the architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frozen blocks (N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA alpha</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA dropout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA target layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning-rate decay per block (1 = same for all)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FLOPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{layers}&lt;/b&gt; layers · &lt;b&gt;{params}&lt;/b&gt; parameters · {flops} FLOPs per example&lt;br&gt;Weights {weights} (fp32) · training with Adam about {training} + {acts} per example in a batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#37a85c&apos;&gt;✓ The network fits together and can be trained.&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplateGallery</name>
    <message>
        <source>Start from a template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the network with a ready-made one, sized to your data. You can undo this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keras first network (2-3-1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MLP (tables)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNN (images)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LSTM text classifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transformer text classifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPT (text generation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fine-tune a text encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fine-tune a language model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fine-tune a chat model (LoRA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shape} features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shape} images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sequences of {shape} tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes/no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next token of {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sized to: {info}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sizes from the project&apos;s data: {info}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No prepared data: sizes come from the current Input layer or the template&apos;s defaults.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainView</name>
    <message>
        <source>Start</source>
        <extracomment>Bars and labels follow the run at most this often (seconds), the live diagnosis at most once a second: as often as a person reads them. Updates arrive up to 20 times a second, and every repaint of the window is CPU the training process on the same machine loses.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train the project as saved (unsaved changes are saved first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after this batch; the run keeps its last and best checkpoints and can be resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready to train.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the project first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training reads the project from its file: save the project, then start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resuming {run}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing data: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{device} · {params} parameters
{memory}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training {run} on {device}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{elapsed} elapsed · {eta} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>samples/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished early: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped; the run keeps its checkpoints and can be resumed from the run list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied: {fix}. Start a new run to try it (Edit ▸ Undo reverts it).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>Loss</source>
        <extracomment>Redrawing may use at most this share of the GUI thread (and of a core the training process would otherwise have); slower frames space redraws out. Evaluation points get a dot only while there are few enough to tell apart.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train (step)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train (smoothed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train (epoch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>best</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>early stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smoothing </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the plots as PNG or SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {step}: loss {loss:.4g}, smoothed {smooth:.4g}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingSettingsPanel</name>
    <message>
        <source>Binary tasks: f1, precision and recall are of the positive class (the second label); f1_macro averages both classes. Several classes: f1_macro, precision and recall average the classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off (use epochs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default for the task, e.g. accuracy, f1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warm-up steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patience</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min. change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every (seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every (batches)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change batch size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change optimizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change momentum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change weight decay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change warm-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change gradient clipping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change patience</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change early-stopping change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change checkpoint interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change early-stopping metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn early stopping on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn early stopping off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These settings are not valid yet: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_400.self</name>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
