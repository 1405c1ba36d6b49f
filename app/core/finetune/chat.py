"""Talk with a trained chat run: the conversation so far, rendered with the chat template, then a reply.

``python main.py chat RUN_DIR`` reads one user message per line and prints one reply per line,
so it can be piped; the conversation is kept, so later answers see earlier turns. The run's
project names its base, whose tokenizer (and chat template, or ChatML when the base has none)
renders the turns exactly as in training; the window slides when a conversation grows longer
than the model's sequence length.

Example::

    session = ChatSession.open("runs/chat-20260101-120000", system="Answer briefly.")
    session.reply("reverse: red green blue", max_new_tokens=20, temperature=0)   # 'blue green red'
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import torch

from app.core.errors import ModelwrightError
from app.core.finetune.chat_data import CHATML_END


class ChatError(ModelwrightError):
    """The run cannot chat, or a chat setting is unusable."""


def is_chat_run(run_dir: str | os.PathLike) -> bool:
    """Whether the run was trained by the ``finetune-chat`` template."""
    from app.core.project import load_project
    from app.core.runs import open_run

    paths = open_run(run_dir, need_weights=False)
    finetune = load_project(paths.project).finetune or {}
    return finetune.get("template") == "finetune-chat"


class ChatSession:
    """A chat run's model and tokenizer with the messages so far (see the module docstring)."""

    def __init__(self, generator, tokenizer, system: str | None = None) -> None:
        self.generator = generator
        self.tokenizer = tokenizer
        self.messages: list[dict] = [{"role": "system", "content": system}] if system else []
        stops = {tokenizer.eos_token_id, tokenizer.convert_tokens_to_ids(CHATML_END)}
        self.stop_ids = {i for i in stops if isinstance(i, int) and i != tokenizer.unk_token_id}

    @classmethod
    def open(cls, run_dir: str | os.PathLike, system: str | None = None) -> "ChatSession":
        from app.core.finetune.chat_prepare import load_chat_tokenizer
        from app.core.lm.generate import load_generator
        from app.core.project import load_project
        from app.core.runs import open_run

        if not is_chat_run(run_dir):
            raise ChatError(f"Run '{Path(run_dir)}' was not trained on chat data; 'chat' needs a run of the "
                            "'finetune-chat' template (use 'generate' for other language models).")
        project = load_project(open_run(run_dir, need_weights=False).project)
        return cls(load_generator(run_dir), load_chat_tokenizer(project.finetune["base"]), system)

    def prompt_ids(self) -> list[int]:
        text = self.tokenizer.apply_chat_template(self.messages, tokenize=False, add_generation_prompt=True)
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    @torch.no_grad()
    def reply(self, user_text: str, *, max_new_tokens: int = 128, temperature: float = 0.0,
              seed: int | None = None) -> str:
        """The model's answer to ``user_text``; both join the conversation."""
        if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or max_new_tokens < 1:
            raise ChatError(f"--max-tokens must be a whole number of at least 1, not {max_new_tokens!r}.")
        if not isinstance(temperature, (int, float)) or not 0 <= temperature <= 100:
            raise ChatError(f"--temperature must be a number from 0 to 100 (0 = always the likeliest token), not "
                            f"{temperature!r}.")
        self.messages.append({"role": "user", "content": user_text})
        tokens = torch.tensor(self.prompt_ids(), dtype=torch.long)
        generator = torch.Generator().manual_seed(seed if seed is not None else random.SystemRandom().randrange(2**63))
        model, window, new = self.generator.model, self.generator.window, []
        for _ in range(max_new_tokens):
            logits = model(tokens[-window:].unsqueeze(0).to(self.generator.device))[0, -1].float().cpu()
            if temperature == 0:
                next_id = int(torch.argmax(logits))
            else:
                next_id = int(torch.multinomial(torch.softmax(logits / temperature, -1), 1, generator=generator))
            if next_id in self.stop_ids:
                break
            new.append(next_id)
            tokens = torch.cat([tokens, torch.tensor([next_id])])
            if CHATML_END in self.tokenizer.decode(new):
                break
        answer = self.tokenizer.decode(new, skip_special_tokens=True).split(CHATML_END)[0].strip()
        self.messages.append({"role": "assistant", "content": answer})
        return answer
