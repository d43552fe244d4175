"""The real desktop app in a child process, driven line by line from a test.

``python tests/ui/app_driver.py --open FILE`` builds the app as ``forumkit-app`` does, with
the real :class:`ui.restart.FreshProcess` (so Lock, Close and kiosk mode really replace the
process), opens FILE with ``FORUMKIT_PASSPHRASE`` and then obeys one command per line on its
standard input. Each fresh process it becomes runs this same script again (``--resume-fd``) and
says ``ready <screen>`` once it shows its screen; other commands answer ``ok <command>``. The
test reads the child's memory in between (``tests/ui/memory.py``).

Commands: ``browse`` (every cell of the responses table, then one response opened, corrected
and saved), ``tag`` (the quotes workbench: ten answers tagged by keyboard, one searched for,
its suggestions shown), ``type TEXT`` (half-type a data-entry form: kept as a draft on lock),
``save JSON`` (fill in the data-entry form with these answers and press Ctrl+Enter: answers
``ok save N complete, M drafts``, the survey's responses), ``lock``, ``unlock``, ``close``,
``kiosk``, ``parent JSON`` (a parent fills in and finishes the kiosk form with these answers,
then the next parent's welcome page comes), ``quit``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from forumkit.workspace import Workspace
from ui.app import Shell, parse_args, setup_application
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.responses import ResponsesPage
from ui.restart import FreshProcess, read_resume


def say(line: str) -> None:
    print(line, flush=True)


class Driver:
    def __init__(self, shell: Shell, app: QApplication) -> None:
        self.shell = shell
        self.app = app
        self.notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self.read_command)

    # -- what is on screen ------------------------------------------------------------------

    def main(self) -> MainWindow:
        main = self.shell.main
        assert main is not None, "no main window"
        return main

    def responses(self) -> ResponsesPage:
        main = self.main()
        for row, page in enumerate(main.pages):
            if isinstance(page, ResponsesPage):
                main.show_page(row)
                return page
        raise AssertionError("no Responses page")

    def screen(self) -> str:
        main = self.shell.main
        if main is None:
            return "start"
        if main.is_locked:
            return "locked"
        page = next((p for p in main.pages if isinstance(p, ResponsesPage)), None)
        if page is not None and page.kiosk is not None:
            return "kiosk"
        return "main"

    def say_ready_when(self, wanted: str) -> None:
        def check() -> None:
            if self.screen() == wanted:
                timer.stop()
                say(f"ready {wanted}")

        timer = QTimer(self.app)
        timer.timeout.connect(check)
        timer.start(50)

    # -- commands ---------------------------------------------------------------------------

    def read_command(self) -> None:
        line = sys.stdin.readline()
        if not line:
            self.app.quit()
            return
        name, _, argument = line.strip().partition(" ")
        getattr(self, f"do_{name}")(argument)

    def do_browse(self, _argument: str) -> None:
        page = self.responses()
        page.tabs.setCurrentWidget(page.browse)
        self.app.processEvents()
        model = page.browse.table.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                model.data(model.index(row, column))
        page.browse.table.scrollToBottom()
        self.app.processEvents()
        dialog = page.browse.open_row(0)
        assert dialog is not None
        answers = dict(dialog.response.answers)
        answers["experience"] = f"{answers.get('experience', '')} (corrected)"
        dialog.form.set_answers(answers)
        dialog._on_edited()
        assert dialog.save(dialog.response.status), "the correction was refused"
        dialog.close()
        self.app.processEvents()
        say("ok browse")

    def do_tag(self, _argument: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from ui.pages.quotes import QuotesPage

        main = self.main()
        page = next(p for p in main.pages if isinstance(p, QuotesPage))
        main.show_page(main.pages.index(page))
        self.app.processEvents()
        while page.suggester is None:
            main.context.tasks.wait()
            self.app.processEvents()
        view = page.panel.view
        for _ in range(10):
            view.setFocus()
            QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClick(view, Qt.Key.Key_1)
            QTest.keyClick(view, Qt.Key.Key_F8)
            self.app.processEvents()
        page.filters.search.setText("waited two years")
        page.apply_filters()
        QTest.qWait(200)  # the suggestions follow the words shown
        assert page.tags.suggested, "no suggestions were shown"
        say("ok tag")

    def do_type(self, text: str) -> None:
        page = self.responses()
        page.tabs.setCurrentWidget(page.entry_tab)
        assert page.form is not None
        page.form.set_answers({"experience": text})
        page._on_edited()
        self.app.processEvents()
        say("ok type")

    def do_save(self, argument: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from forumkit.responses import count_responses

        page = self.responses()
        page.tabs.setCurrentWidget(page.entry_tab)
        self.app.processEvents()
        assert page.form is not None, "data entry shows no form"
        assert page.save_button.isEnabled(), "Save and next is greyed out"
        page.form.set_answers(json.loads(argument))
        page._on_edited()
        QTest.keyClick(page.form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        self.app.processEvents()
        workspace = self.shell.context.workspace
        survey_id = str(page.survey_box.currentData())
        complete = count_responses(workspace.db, survey_id, status="complete")
        drafts = count_responses(workspace.db, survey_id, status="draft")
        say(f"ok save {complete} complete, {drafts} drafts")

    def do_lock(self, _argument: str) -> None:
        self.main().lock()  # replaces the process: the fresh one says "ready locked"
        say("ok lock (in place)")

    def do_unlock(self, _argument: str) -> None:
        screen = self.main().lock_screen
        screen.passphrase.setText(os.environ["FORUMKIT_PASSPHRASE"])
        screen.unlock()
        self.say_ready_when("main")

    def do_close(self, _argument: str) -> None:
        self.shell.close_file()  # the fresh process says "ready start"
        say("ok close (in place)")

    def do_kiosk(self, _argument: str) -> None:
        self.responses().start_kiosk()  # the fresh process says "ready kiosk"
        say("ok kiosk (in place)")

    def do_parent(self, argument: str) -> None:
        kiosk = self.responses().kiosk
        assert kiosk is not None
        kiosk.start_respondent()
        assert kiosk.form is not None
        kiosk.form.set_answers(json.loads(argument))
        for _ in range(50):
            if kiosk.stack.currentWidget() is kiosk.thanks:
                break
            kiosk.next()
            self.app.processEvents()
        assert kiosk.stack.currentWidget() is kiosk.thanks, "the kiosk did not finish"
        kiosk.next_parent()  # the fresh process says "ready kiosk"
        say("ok parent (in place)")

    def do_quit(self, _argument: str) -> None:
        self.shell.shutdown()
        self.app.quit()


def main(argv: list[str]) -> int:
    open_path: Path | None = None
    if argv[:1] == ["--open"]:
        open_path, argv = Path(argv[1]), argv[2:]
    args = parse_args(argv)
    app = QApplication([sys.argv[0]])
    setup_application(app)
    context = AppContext(restarter=FreshProcess([sys.executable, str(Path(__file__).resolve())]))
    shell = Shell(context, app)
    driver = Driver(shell, app)
    resumed = read_resume(args.resume_fd, args.resume_stdin)
    if resumed is not None:
        shell.resume(*resumed)
        driver.say_ready_when(resumed[0].screen)
    elif open_path is not None:
        shell.opened(Workspace.open(open_path, os.environ["FORUMKIT_PASSPHRASE"]))
        driver.say_ready_when("main")
    else:
        shell.show_start()
        driver.say_ready_when("start")
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
