"""Finding terms: how text is folded, the resolver, the /lingo grammar and the answers it gives."""
