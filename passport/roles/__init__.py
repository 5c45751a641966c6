"""Role recipes above the format: issuing, presenting (holder, sharing) and matching against a job."""
