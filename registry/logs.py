"""Log formats."""

import logging


class OneLineFormatter(logging.Formatter):
    """The message and the exception's last line (its type and text), no traceback."""

    def format(self, record):
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            message = f"{message}: {type(error).__name__}: {error}".replace("\n", " ")
        return f"{record.levelname} {message}"
