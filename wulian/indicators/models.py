"""Indicators, targets, province ranking (目标体系·评价体系). models."""
