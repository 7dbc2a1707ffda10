"""Who may do what: logins, passwords, sessions, tokens, second factor, lockout, audit."""
