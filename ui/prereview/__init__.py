"""网上预审 area: the queue of online applications, one application, the decision."""
