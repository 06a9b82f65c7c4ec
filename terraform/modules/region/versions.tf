terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Needs msk_cluster vpc_connectivity (5.12+); validated against 5.100.0, the environments pin ~> 5.83.
      version = ">= 5.12.0, < 6.0.0"
    }
  }
}
