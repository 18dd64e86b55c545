"""Demo data of the county portal, loaded by `manage.py seed_demo`.

Everything here is fictional: 青山县 does not exist, names of people are invented, and
registration numbers, phone numbers and codes are placeholders that cannot be real.
"""
