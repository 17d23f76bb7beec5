"""企呼我应: the closed loop for enterprise requests. models."""
