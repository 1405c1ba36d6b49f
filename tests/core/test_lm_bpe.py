"""The byte-level BPE text level: trained on the user's text, saved and reloaded exactly."""

from __future__ import annotations

import json

import pytest

from app.core.data import prepare
from app.core.data.config import DataConfig
from app.core.data.errors import DataError
from app.core.data.preprocessor import Preprocessor
from tests.core.lm_helpers import sentences_corpus


def _bpe_config(max_vocab=400, seq_len=16):
    return DataConfig.from_dict({"source": {"kind": "text", "path": "c.txt"},
                                 "text": {"level": "bpe", "max_vocab": max_vocab, "seq_len": seq_len}})


def test_bpe_learns_word_pieces_and_round_trips_any_text(tmp_path):
    (tmp_path / "c.txt").write_text(sentences_corpus(800), encoding="utf-8")
    prepared = prepare(_bpe_config(), tmp_path)
    tok = prepared.preprocessor.tokenizer
    assert 259 < tok.vocab_size <= 400 and prepared.info.vocab_size == tok.vocab_size
    assert tok.vocab[:3] == ["<pad>", "<unk>", "<|endoftext|>"] and tok.end_token_id == 2
    # Frequent words became single tokens, so the text is much shorter than in bytes.
    assert len(tok.encode(" remembers")) == 1
    assert prepared.sizes["train"] < 0.4 * len(sentences_corpus(800))
    for text in ["the cat sees the river.", "Ünïcode ☃ 中文, never seen", "a\n\nb<|endoftext|>c"]:
        assert tok.decode(tok.encode(text)) == text
        assert tok.unknown_pieces(text) == []
    assert tok.encode("x<|endoftext|>y")[1] == tok.end_token_id


def test_the_saved_tokenizer_encodes_exactly_as_the_trained_one(tmp_path):
    (tmp_path / "c.txt").write_text(sentences_corpus(500), encoding="utf-8")
    pre = prepare(_bpe_config(), tmp_path).preprocessor
    again = Preprocessor.from_dict(json.loads(json.dumps(pre.to_dict())))
    text = "my friend follows a green tree."
    assert again.tokenizer.encode(text) == pre.tokenizer.encode(text)
    assert again.encode_text(text).tolist() == pre.encode_text(text).tolist()
    assert again.decode_tokens(pre.encode_text(text)) == text


def test_a_vocabulary_too_small_for_bytes_is_refused_in_words(tmp_path):
    (tmp_path / "c.txt").write_text(sentences_corpus(200), encoding="utf-8")
    with pytest.raises(DataError, match=r"at least 259 tokens.*'data.text.max_vocab' is 100.*'char' level"):
        prepare(_bpe_config(max_vocab=100), tmp_path)


def test_unknown_text_levels_name_bpe_among_the_choices():
    with pytest.raises(Exception, match="char, word, bpe"):
        DataConfig.from_dict({"source": {"kind": "text", "path": "c.txt"}, "text": {"level": "sentencepiece"}})
