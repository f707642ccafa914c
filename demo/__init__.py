"""The demo programme that `manage.py seed_demo` loads, one module per part."""
