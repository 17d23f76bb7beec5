"""The leader's cockpit (驾驶舱). models."""
