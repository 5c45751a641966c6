"""Data Integrity proofs: creating and verifying them."""
