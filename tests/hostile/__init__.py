"""A corpus of hostile and broken SOAP requests, and the traps that show what they reached."""
