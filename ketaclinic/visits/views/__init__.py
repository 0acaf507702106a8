"""Session-day pages: thin views, one service call each (see ketaclinic/visits/services/)."""
