"""pytest's warning classes (exported by the shim under their pytest names)."""


class PytestWarning(UserWarning):
    __module__ = "pytest"


class PytestAssertRewriteWarning(PytestWarning):
    __module__ = "pytest"


class PytestCacheWarning(PytestWarning):
    __module__ = "pytest"


class PytestConfigWarning(PytestWarning):
    __module__ = "pytest"


class PytestCollectionWarning(PytestWarning):
    __module__ = "pytest"


class PytestDeprecationWarning(PytestWarning, DeprecationWarning):
    __module__ = "pytest"


class PytestRemovedIn9Warning(PytestDeprecationWarning):
    __module__ = "pytest"


class PytestRemovedIn10Warning(PytestDeprecationWarning):
    __module__ = "pytest"


class PytestExperimentalApiWarning(PytestWarning, FutureWarning):
    __module__ = "pytest"


class PytestUnhandledThreadExceptionWarning(PytestWarning):
    __module__ = "pytest"


class PytestUnknownMarkWarning(PytestWarning):
    __module__ = "pytest"


class PytestUnraisableExceptionWarning(PytestWarning):
    __module__ = "pytest"


class PytestReturnNotNoneWarning(PytestWarning):
    __module__ = "pytest"
