"""cookielint: policy-as-code for cookie policies."""

__version__ = "0.1.0"
