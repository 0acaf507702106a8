"""Thin views: parse, access helper, one service call, render or redirect. Split by who uses them."""
