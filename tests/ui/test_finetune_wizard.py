"""The fine-tuning wizard walked as a user would: base, data columns, LoRA, settings, estimate, create."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtWidgets import QWizard

from tests.core.test_finetune_support import sentiment_csv


@pytest.fixture
def wizard(qtbot):
    from app.ui.finetune.wizard import FinetuneWizard

    w = FinetuneWizard()
    qtbot.addWidget(w)
    w.show()
    return w


def _wait_job(qtbot, page, timeout=60000):
    job = page.job
    if job is not None and job.running:
        with qtbot.waitSignal(job.finished, timeout=timeout):
            pass


def test_the_wizard_creates_a_lora_project_with_an_estimate(qtbot, wizard, tmp_path):
    data = sentiment_csv(tmp_path / "reviews.csv", n=60)
    assert wizard.base_page.isComplete() and "all-MiniLM-L6-v2" in wizard.base_page.details.text()
    assert "apache-2.0" in wizard.base_page.details.text()
    wizard.next()
    page = wizard.data_page
    assert not page.isComplete()
    page.set_data(str(data))
    _wait_job(qtbot, page)
    assert page.text_column.currentText() == "review" and page.label_column.currentText() == "sentiment"
    assert page.isComplete()
    wizard.next()
    wizard.strategy_page.buttons["lora"].setChecked(True)
    wizard.strategy_page.lora_rank.setValue(4)
    wizard.next()
    hyper = wizard.hyper_page
    assert hyper.lr.value() == pytest.approx(1e-3) and hyper.seq_len.value() == 64
    hyper.seq_len.setValue(16)
    hyper.epochs.setValue(1)
    hyper.batch_size.setValue(8)
    out = tmp_path / "made.mwproj"
    wizard.review_page.out.setText(str(out))
    wizard.next()
    review = wizard.review_page
    assert review.job is not None and review.plan is None  # the heavy part runs on the worker
    _wait_job(qtbot, review, timeout=120000)
    text = review.summary.toPlainText()
    assert "Trainable parameters" in text and "fits" in text and "s per step (measured)" in text
    assert review.estimate.trainable_parameters < 0.02 * review.estimate.parameters
    assert review.isComplete()
    created = []
    wizard.project_created.connect(created.append)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert created == [str(out.resolve())]
    raw = json.loads(out.read_text(encoding="utf-8"))
    encoder = next(n for n in raw["graph"]["nodes"] if n["type"] == "pretrained.text_encoder")
    assert encoder["params"]["strategy"] == "lora" and encoder["params"]["lora_rank"] == 4
    assert raw["finetune"]["strategy"] == "lora" and raw["training"]["epochs"] == 1
    assert raw["data"]["text"]["seq_len"] == 16 and raw["data"]["source"]["path"] == "reviews.csv"


def test_a_broken_folder_is_explained_and_blocks_the_next_page(qtbot, wizard, tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "bert"}', encoding="utf-8")
    wizard.base_page.folder.setChecked(True)
    wizard.base_page.set_path(str(folder))
    assert not wizard.base_page.isComplete()
    assert "no model weights" in wizard.base_page.details.text()


def test_the_main_window_offers_the_wizard_without_loading_torch(window):
    import subprocess

    probe = ("import sys; import app.ui.main_window, app.ui.finetune.wizard; "
             "print('torch' in sys.modules, 'transformers' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert loaded.stdout.split() == ["False", "False"], loaded.stderr
    assert window.finetune_action.text().startswith("&Fine-tune")
    titles = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert window.finetune_action.text() in titles
    window.finetune_action.trigger()
    assert window.finetune_wizard.isVisible()
    window.finetune_wizard.reject()
