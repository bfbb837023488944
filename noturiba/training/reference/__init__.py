"""The training programme's reference data: ``curriculum.json`` (loaded by ``reference_data``)."""
