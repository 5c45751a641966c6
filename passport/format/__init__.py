"""The document format: Paspoort documents and their schemas, links, status lists, the trust registry."""
