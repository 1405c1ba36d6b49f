"""The headless door into Modelwright: ``python main.py <command> ...``.

Every sub-command is a thin wrapper over a function in ``app.core``; the GUI calls the same
functions. Errors a user can fix print one line on stderr and exit 1 (``--debug`` shows the
traceback). Heavy imports (torch, pandas) happen inside the handlers so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import errno
import os
import json
import sys
import traceback
from pathlib import Path

from app import __version__

COMMANDS = ("templates", "new", "validate", "train", "search", "evaluate", "predict", "generate", "chat", "export")
# The export formats (app.core.export lists the same; kept here so --help needs no torch).
EXPORT_FORMATS = ("pytorch", "torchscript", "onnx", "safetensors", "hf", "torchrun", "peft", "gguf")
# Which trained weights evaluate/predict/export use (app.core.run_weights.WEIGHT_CHOICES).
WEIGHTS = ("best", "final")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line and exits 1, like every other error."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py",
        description="Modelwright: build, train and export deep-learning models. Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"Modelwright {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback when something fails")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("templates", help="list project templates")
    p.set_defaults(handler=_cmd_templates)

    p = sub.add_parser("new", help="create a project from a template and a data file")
    p.add_argument("--template", required=True, help="template name (see 'templates')")
    p.add_argument("--data", type=Path, help="data file or image folder")
    p.add_argument("--target", help="column to predict (tables)")
    p.add_argument("--base", help="pretrained base model (fine-tuning templates)")
    p.add_argument("--out", type=Path, required=True, help="project file to write (*.mwproj)")
    p.add_argument("--force", action="store_true", help="overwrite an existing project file")
    p.set_defaults(handler=_cmd_new)

    p = sub.add_parser("validate", help="check a project's network and print its layer table")
    p.add_argument("project", type=Path)
    p.add_argument("--json", action="store_true", help="print the table as JSON")
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser(
        "train",
        help="train a project and write a run directory",
        description="Train a project and write a run directory. With --resume the run's own copy of the "
        "project is used, so PROJECT may be left out.",
    )
    p.add_argument("project", type=Path, nargs="?")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--epochs", type=_positive_int)
    group.add_argument("--steps", type=_positive_int)
    p.add_argument("--batch-size", type=_positive_int)
    p.add_argument("--lr", type=_positive_float)
    p.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    p.add_argument("--seed", type=int)
    p.add_argument("--out", type=Path, help="run directory to create (default: runs/<project>/<time>)")
    p.add_argument("--resume", type=Path, metavar="RUN_DIR", help="continue an interrupted run")
    p.set_defaults(handler=_cmd_train)

    p = sub.add_parser(
        "search",
        help="search for better training settings and layer sizes (many short runs)",
        description="Train the project many times with the settings named in SPACE.json varied "
        "(see the README for its format); each trial is a run directory under the search folder. "
        "Run the same command with the same --out again to resume an interrupted search.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--space", type=Path, required=True, help="JSON file naming what to vary and over what")
    p.add_argument("--trials", type=_positive_int, required=True, help="trials in the whole search")
    p.add_argument("--timeout", type=_positive_float, metavar="MIN", help="stop starting trials after MIN minutes")
    p.add_argument("--strategy", choices=("grid", "random", "tpe"), default="tpe",
                   help="how trials are chosen (default tpe)")
    p.add_argument("--out", type=Path, help="search folder (default: runs/<project>/search-<time>)")
    p.set_defaults(handler=_cmd_search)

    p = sub.add_parser("evaluate", help="print a run's metrics as JSON")
    p.add_argument("run_dir", type=Path)
    p.add_argument("--data", type=Path, help="evaluate on this file instead of the run's validation data")
    p.add_argument("--weights", choices=WEIGHTS, default="best",
                   help="the run's best checkpoint (default) or its final weights")
    p.set_defaults(handler=_cmd_evaluate)

    p = sub.add_parser("predict", help="write predictions for a data file as CSV")
    p.add_argument("run_dir", type=Path)
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--force", action="store_true",
                   help="replace an existing file (never the data being read, a project or a run's file)")
    p.add_argument("--weights", choices=WEIGHTS, default="best",
                   help="the run's best checkpoint (default) or its final weights")
    p.set_defaults(handler=_cmd_predict)

    p = sub.add_parser(
        "generate",
        help="write text with a trained language model",
        description="Continue a prompt with a trained language model (a run of the 'gpt' template). "
        "The text is printed as it is written.",
    )
    p.add_argument("run_dir", type=Path)
    p.add_argument("--prompt", required=True, help="text to continue ('' starts from nothing)")
    p.add_argument("--tokens", type=_positive_int, default=200, help="how many tokens to add (default 200)")
    p.add_argument("--temperature", type=_non_negative_float, default=0.8,
                   help="0 = always the likeliest token; higher = freer (default 0.8)")
    p.add_argument("--top-k", type=_positive_int, help="sample only among the k likeliest tokens")
    p.add_argument("--seed", type=int, help="the same seed gives the same text")
    p.add_argument("--unknown", choices=("error", "skip"), default="error",
                   help="prompt characters/words the model never saw: stop with an error (default) or leave them out")
    p.set_defaults(handler=_cmd_generate)

    p = sub.add_parser(
        "chat",
        help="talk with a model fine-tuned on chat data",
        description="Reads one message per line from stdin and prints one reply per line (it can be piped); "
        "the conversation is kept. Needs a run of the 'finetune-chat' template.",
    )
    p.add_argument("run_dir", type=Path)
    p.add_argument("--system", help="a system message that starts the conversation")
    p.add_argument("--max-tokens", type=_positive_int, default=128, help="longest reply in tokens (default 128)")
    p.add_argument("--temperature", type=_non_negative_float, default=0.0,
                   help="0 = always the likeliest token (default); higher = freer")
    p.add_argument("--seed", type=int, help="the same seed gives the same replies")
    p.set_defaults(handler=_cmd_chat)

    p = sub.add_parser("export", help="export a trained run (code, TorchScript, ONNX, ...) and check it")
    p.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="a run directory (torchrun also takes a project file)")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("--out", type=Path, required=True, help="folder to write (model, model card, predict.py)")
    p.add_argument("--force", action="store_true", help="replace an existing export folder")
    p.add_argument("--weights", choices=WEIGHTS, default="best",
                   help="the run's best checkpoint (default) or its final weights")
    p.add_argument("--quant", choices=("f16", "q8_0"),
                   help="gguf only: f16 (default) or q8_0 weights (about half the size)")
    p.set_defaults(handler=_cmd_export)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0 (got {text})")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more (got {text})")
    return value


def _cmd_templates(args: argparse.Namespace) -> int:
    from app.core.graph.templates import describe_template, template_names

    names = template_names()
    width = max(len(n) for n in names)
    for name in names:
        print(f"{name:<{width}}  {describe_template(name)}")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from app.core.new_project import create_project

    project, warnings = create_project(
        args.template, data=args.data, target=args.target, base=args.base, out=args.out, overwrite=args.force
    )
    for warning in warnings:
        print(f"note: {warning}", file=sys.stderr)
    print(f"Created {project.path} ({args.template}, {len(project.graph.nodes)} layers).")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from app.core.graph.summary import format_layer_table, layer_table
    from app.core.project import load_project

    project = load_project(args.project)
    table = layer_table(project.graph)
    if args.json:
        print(json.dumps(table.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_layer_table(table))
        from app.core.finetune.chat_project import describe_chat_project

        for line in describe_chat_project(project):
            print(line)
    if table.errors:
        for _node_id, message in table.errors:
            print(f"error: {message}", file=sys.stderr)
        return 1
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from app.core.train.startup import import_training_modules

    import_training_modules()  # torch, pandas, ... without the garbage collector's rescans
    from app.core.errors import ModelwrightError
    from app.core.train.api import train_project
    from app.core.train.cli_progress import TextProgress

    if args.project is None and args.resume is None:
        raise ModelwrightError("No project given: pass a project file (*.mwproj), or --resume RUN_DIR.")
    if args.resume is None:
        _note_outside_data(args.project)

    overrides = {
        key: value
        for key, value in (
            ("epochs", args.epochs),
            ("steps", args.steps),
            ("batch_size", args.batch_size),
            ("lr", args.lr),
            ("device", args.device),
            ("seed", args.seed),
        )
        if value is not None
    }
    progress = TextProgress()
    run_dir = train_project(
        args.project, out=args.out, resume=args.resume, overrides=overrides, callbacks=[progress]
    )
    if progress.status == "stopped":  # Ctrl+C: resumable, not finished, so `train && export` stops here
        return 130
    from app.core.train.distributed import launch_rank

    if launch_rank() == 0:  # under torchrun, one line for the whole run
        print(f"Run saved in {run_dir}")
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from app.core.train.startup import import_training_modules

    import_training_modules()
    from app.core.experiments.search import run_search
    from app.core.experiments.space import load_space

    space = load_space(args.space)

    def started(number: int, params: dict) -> None:
        shown = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items())
        print(f"trial {number}: {shown}", flush=True)

    def ended(record) -> None:
        value = f"{space.metric}={record.value:.4g}" if record.value is not None else (record.error or "")
        print(f"trial {record.number}: {record.state} {value}".rstrip(), flush=True)

    result = run_search(args.project, space, trials=args.trials, timeout_minutes=args.timeout,
                        strategy=args.strategy, out=args.out, on_trial_start=started, on_trial_end=ended)
    best = result.best
    print(f"Search saved in {result.folder}")
    if best is None:
        print("No trial finished with a value of the metric.")
    else:
        print(f"Best: trial {best.number}, {space.metric}={best.value:.4g} "
              f"({', '.join(f'{k}={v}' for k, v in best.params.items())}) in {best.run_dir}")
    return 0


def _note_outside_data(project_path: Path) -> None:
    """Name data the project reads from outside its folder. The GUI asks first; the CLI only
    notes it on stderr, because the user named the project and scripts must never block."""
    from app.core.errors import ModelwrightError
    from app.core.project import load_project
    from app.core.safety.data_paths import data_paths_outside

    try:
        project = load_project(project_path)
    except ModelwrightError:
        return  # training reports the problem itself
    for path in data_paths_outside(project):
        print(f"note: this project reads data from outside its folder: {path}", file=sys.stderr)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from app.core.train.api import evaluate_run

    metrics = evaluate_run(args.run_dir, data_path=args.data, weights=args.weights)
    print(json.dumps(metrics, indent=2, ensure_ascii=False))
    return 0


def _cmd_predict(args: argparse.Namespace) -> int:
    from app.core.train.api import predict_run

    out = predict_run(args.run_dir, args.data, args.out, overwrite=args.force, weights=args.weights)
    print(f"Predictions written to {out}")
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from app.core.finetune.chat import ChatSession, is_chat_run
    from app.core.lm.generate import load_generator

    if is_chat_run(args.run_dir):  # a chat model answers the prompt as a user message
        session = ChatSession.open(args.run_dir)
        print(session.reply(args.prompt, max_new_tokens=args.tokens, temperature=args.temperature, seed=args.seed))
        return 0
    generator = load_generator(args.run_dir)
    ids, skipped = generator.encode_prompt(args.prompt, args.unknown)
    if skipped:
        print(f"note: left out of the prompt (unknown to the model): {', '.join(map(repr, skipped))}", file=sys.stderr)
    sys.stdout.write(generator.tokenizer.decode(ids))
    sys.stdout.flush()
    result = generator.generate(args.prompt, args.tokens, temperature=args.temperature, top_k=args.top_k,
                                seed=args.seed, unknown=args.unknown,
                                on_text=lambda piece: (sys.stdout.write(piece), sys.stdout.flush()))
    sys.stdout.write("\n")
    if result.stopped_at_end:
        print("(the model ended the text)", file=sys.stderr)
    return 0


def _cmd_chat(args: argparse.Namespace) -> int:
    from app.core.finetune.chat import ChatSession

    session = ChatSession.open(args.run_dir, system=args.system)
    for line in sys.stdin:
        message = line.rstrip("\r\n")
        if not message.strip():
            continue
        print(session.reply(message, max_new_tokens=args.max_tokens, temperature=args.temperature, seed=args.seed),
              flush=True)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from app.core.export import export_run

    if args.format == "torchrun" and args.run_dir.is_file():  # a project file: bundle it untrained
        from app.core.export.formats.torchrun import export_project_bundle

        result = export_project_bundle(args.run_dir, args.out, overwrite=args.force)
    else:
        options = {"quant": args.quant} if args.quant else None
        result = export_run(args.run_dir, args.format, args.out, overwrite=args.force, weights=args.weights,
                            options=options)
    print(f"Exported {result.format} to {result.path}: {', '.join(result.files)}")
    if result.parity is not None:
        print(result.parity.describe())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 1
    if not args.debug:
        import warnings

        # torch warns about a foreign pickle just before refusing it; the refusal is the one line.
        warnings.filterwarnings("ignore", module=r"torch\._weights_only_unpickler")
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``main.py validate X | head``): stop quietly, like other tools.
        # Point stdout at devnull so the interpreter's final flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI's contract: one line, exit 1
        if args.debug:
            traceback.print_exc()
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    from app.core.errors import ModelwrightError

    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ModelwrightError):
        return text
    if isinstance(exc, OSError) and exc.filename:  # last resort for a writer that missed its own check
        from app.core.fileio import disk_full_error

        full = disk_full_error(exc, exc.filename)
        if full is not None:
            return " ".join(str(full).split())
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ("A disk this command writes to is full (or over its quota); free some space, or choose an output "
                "folder on another disk, and try again.")
    return f"unexpected {type(exc).__name__}: {text} (run with --debug for details)"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
