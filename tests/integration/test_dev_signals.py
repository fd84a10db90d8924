"""`make dev` stops on SIGINT and SIGTERM whatever it inherited, and a second signal does not cut its clean-up
short. A script that starts it in the background (`make dev &` in a non-interactive shell, or a Popen with
SIGINT ignored) hands it SIGINT ignored, and Python then installs no KeyboardInterrupt handler of its own."""

from __future__ import annotations

import signal

from scripts.dev_stack import STOP_GRACE_SECONDS, STOPPING_LINE, dev_stack, stopped_cleanly


def test_sigint_stops_make_dev_that_inherited_sigint_ignored():
    with dev_stack(inherited_ignored=(signal.SIGINT,)) as stack:
        stack.process.send_signal(signal.SIGINT)
        exit_status = stack.wait_for_exit(STOP_GRACE_SECONDS)

    assert exit_status == 0, "".join(stack.output[-20:])
    assert stopped_cleanly(stack), "".join(stack.output[-20:])


def test_a_second_signal_during_clean_up_does_not_cut_it_short():
    with dev_stack(inherited_ignored=(signal.SIGINT, signal.SIGTERM)) as stack:
        stack.process.send_signal(signal.SIGTERM)
        assert stack.wait_for_output(STOPPING_LINE, STOP_GRACE_SECONDS), "".join(stack.output[-20:])
        stack.process.send_signal(signal.SIGINT)  # an impatient second Ctrl-C
        stack.process.send_signal(signal.SIGTERM)
        exit_status = stack.wait_for_exit(STOP_GRACE_SECONDS)

    assert exit_status == 0, "".join(stack.output[-20:])
    assert stopped_cleanly(stack), "".join(stack.output[-20:])
