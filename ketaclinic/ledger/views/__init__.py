"""The ledger's pages (tablet-first). Thin: access helper, one service call, render or redirect."""
