"""``cookielint diff``: what a change to cookie policies means for visitors' consent.

- ``changes``: the catalogue of change classes, and comparing two policies;
- ``load``: a policy file read once for both its model and its check findings;
- ``sources``: which base file goes with which head file (directories or git);
- ``git``: reading a revision through git itself, without a checkout;
- ``accepted``: the ignore file of accepted changes;
- ``command``: the command's work; ``reporters``: its output formats.
"""
