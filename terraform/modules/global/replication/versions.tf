terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.83: first release documenting replication_info_list.topic_replication.topic_name_configuration, without
      # which MSK Replicator would prefix the copied topic names with the source cluster alias.
      version = ">= 5.83.0, < 6.0.0"
    }
  }
}
