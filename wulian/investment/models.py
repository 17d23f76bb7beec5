"""The investment pipeline and major projects (招商与重大项目). models."""
