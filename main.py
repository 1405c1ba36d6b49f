"""Modelwright entry point.

    python main.py [PROJECT.mwproj]        open the app (the bundled example when no project is given)
    python main.py --screenshot FILE.png   render the window offscreen to a PNG and exit
    python main.py <command> ...           the headless CLI (python main.py --help lists the commands)
"""

import sys


def main(argv: list[str]) -> int:
    from app.cli import COMMANDS

    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        from app.cli import main as cli_main

        return cli_main(argv)
    if argv and argv[0] == "--version":
        from app import __version__

        print(f"Modelwright {__version__}")
        return 0
    if argv and argv[0] == "--debug" and len(argv) > 1 and argv[1] in COMMANDS:
        from app.cli import main as cli_main

        return cli_main(argv)
    from app.ui.launch import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    # In the installed (frozen) app, the training child process started with multiprocessing
    # "spawn" re-runs this executable: freeze_support() turns that run into the child.
    import multiprocessing

    multiprocessing.freeze_support()
    if getattr(sys, "frozen", False) and sys.argv[1:2] == ["--probe-device"]:
        # The bundle has no Python interpreter for "-c": the device probe runs through here.
        from app.ui.device import PROBE

        exec(compile(PROBE, "<device-probe>", "exec"))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
