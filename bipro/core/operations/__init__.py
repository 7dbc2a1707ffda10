"""What operators ask of a gateway before and while it runs: preflight and readiness."""
