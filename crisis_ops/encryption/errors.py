"""The encryption package's exceptions (re-exported by ``cipher``)."""


class EncryptionError(Exception):
    """Base of every encryption failure. Messages never contain a value."""


class DecryptionError(EncryptionError):
    pass
