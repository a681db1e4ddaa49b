"""The audit verbs of notifications."""

NOTIFICATION_SEND = "notification.send"
NOTIFICATION_MARK_READ = "notification.mark_read"
