terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # A ~> 5.x pin: any 5.x from 5.83 (aws_msk_replicator topic_name_configuration), never 6.x.
      version = "~> 5.83"
    }
  }

  # Production state lives in an encrypted, versioned S3 bucket with locking: it contains the Redis AUTH token.
  # Fill in and uncomment, then `terraform init -reconfigure`.
  #
  # backend "s3" {
  #   bucket       = "example-terraform-state"
  #   key          = "meridian/prod/terraform.tfstate"
  #   region       = "us-east-1"
  #   encrypt      = true
  #   use_lockfile = true # Terraform >= 1.10; on older versions use dynamodb_table
  # }
}
