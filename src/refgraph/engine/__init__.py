"""refgraph's engine layer (see CONTRIBUTING.md); its public names are also at the top level."""
