# One provider configuration per AWS region. Terraform cannot create providers in a loop, so regions are listed
# here and in main.tf explicitly; adding a region means one provider block, one region module and one replication
# module (see README).

locals {
  default_tags = {
    Project     = "meridian"
    Environment = var.environment
    ManagedBy   = "terraform"
  }
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.default_tags
  }
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"

  default_tags {
    tags = local.default_tags
  }
}

provider "aws" {
  alias  = "ap_south_1"
  region = "ap-south-1"

  default_tags {
    tags = local.default_tags
  }
}
