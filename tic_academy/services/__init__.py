"""Business rules with plain arguments. Services never see ``request``."""


class ServiceError(Exception):
    """A domain error whose message is safe (and translated) to show a user."""
