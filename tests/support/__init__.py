"""What tests share instead of importing each other's modules.

- ``context.py``: :class:`~tests.support.context.FakeBox`, the one fake of what the composition
  root gives a part (:class:`appliance.parts.PartContext`); start here to test a part.
"""
