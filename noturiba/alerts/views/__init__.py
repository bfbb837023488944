"""Alert pages: one module per area (public: acknowledgement and CAP; compose; dashboard …)."""
