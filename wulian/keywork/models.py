"""四定 key work, tasks and regular meetings (例会). models."""
