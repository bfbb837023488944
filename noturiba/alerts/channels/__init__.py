"""Alert channels: one plug-in per way of reaching a person (email, SMS, webhook).

Each channel is a :class:`~noturiba.alerts.channels.base.Channel` subclass in
``channels/<kind>.py`` with one ``send()`` that returns a ``DeliveryResult`` or raises
``DeliveryError(permanent=…)``; :mod:`noturiba.alerts.channels.registry` maps kind → class.
"""
