"""The RQ worker for TASKS_BACKEND=rq (settings.RQ["WORKER_CLASS"]).

RQ 3.0 with redis-py 8 can hang a worker that is told to stop. On the way out
(`teardown`) RQ unsubscribes its command channel and then stops the listener
thread with `PubSubWorkerThread.stop()`, which since redis-py 8 waits, without a
time limit, for the thread to end. If the thread reads the UNSUBSCRIBE reply
before `stop()` has lowered its running flag, it goes round once more and, no
longer subscribed, waits up to 60 s (RQ's sleep_time) for a subscription that
never comes; `stop()` waits with it. So a SIGTERM (a deploy, a scale-down) now
and then left a finished worker alive for a minute, and Kubernetes kills it at
its grace period. Seen in CI: the SIGTERM test timed out once in a few runs.

This worker lowers the flag first, then unsubscribes (the reply wakes the
thread, which now sees the flag and ends) and waits at most a second: the
thread is a daemon, so whatever it is still waiting for cannot hold the process.
tests/deploy/test_rq_backend.py forces the losing order.
"""

from rq.worker import Worker as RQWorker

LISTENER_JOIN_SECONDS = 1


class Worker(RQWorker):
    def unsubscribe(self):
        thread = self.pubsub_thread
        if not thread:
            return
        self.log.info(
            "Worker %s: unsubscribing from channel %s", self.name, self.pubsub_channel_name
        )
        thread.stop(timeout=0)  # lowers the running flag, does not wait
        self.pubsub.unsubscribe()
        thread.join(timeout=LISTENER_JOIN_SECONDS)
        self.pubsub.close()
