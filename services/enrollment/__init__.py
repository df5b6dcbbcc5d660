"""enrollment"""
