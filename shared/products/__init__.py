"""What the buyer's page shows of a product besides its batches: for now, its photo."""
