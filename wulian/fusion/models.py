"""Five-chain fusion: platforms, talent, capital, the scorecard and gap analysis. models."""
