"""`rq cron app/notifications/rq_cron.py`: a delivery pass on the queue `bapas-notify` every minute
(the 75 % and overdue notices, the digest, retries); a worker on that queue runs it."""

from rq import cron

from app.notifications.jobs import QUEUE, deliver_job

cron.register(deliver_job, QUEUE, interval=60)
