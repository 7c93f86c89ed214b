"""The SOP engine: services declared as data, one engine, clocks."""
