"""Plain helpers every app may use (after healthchecks' hc/lib): mail, uploads, downloads,
PDF rendering, limits of input, formats. No models of its own, no domain knowledge, and it
imports no app of the project."""
