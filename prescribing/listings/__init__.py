"""Listings kept up to date by their own organisations, and moderated by coordinators."""
