"""Language models: GPT weight initialisation, text generation, BPE training, memory estimates.

Example::

    from app.core.lm.generate import load_generator

    generator = load_generator("runs/shakespeare-20250101-120000")
    print(generator.generate("ROMEO:", max_new_tokens=200, temperature=0.8, top_k=40, seed=1).text)
"""
