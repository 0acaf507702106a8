"""Pages of the plans area: thin views over ``ketaclinic.plans.services``."""
